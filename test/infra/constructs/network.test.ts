// The worker in a VPC for private clusters: only the worker goes in, endpoints for each AWS
// service it calls, the cluster's security group opened to it on 443, a proxy for GitHub.
import { describe, expect, it } from 'vitest';
import type { VpcContext } from '../../../infra/context.ts';
import { type Cfn, functionProps, iamStatements, render, resources, synthStack } from '../support.ts';

const VPC: VpcContext = {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  subnets: [
    { subnetId: 'subnet-0aaaaaaaaaaaaaaa1', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0aaaaaaaaaaaaaaa1' },
    { subnetId: 'subnet-0bbbbbbbbbbbbbbb2', availabilityZone: 'eu-west-1b', routeTableId: 'rtb-0bbbbbbbbbbbbbbb2' },
  ],
};

const ofType = (template: ReturnType<typeof synthStack>['template'], type: string) =>
  Object.entries(resources(template)).filter(([, resource]) => resource.Type === type) as Array<[string, { Properties: Cfn }]>;

describe('WorkerNetwork', () => {
  it('puts only the worker in the VPC, in the given subnets, with a security group of its own', () => {
    const { template } = synthStack({ vpc: VPC });
    const worker = functionProps(template, 'SyncWorker');
    expect(worker.VpcConfig.SubnetIds).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2']);
    const groups = ofType(template, 'AWS::EC2::SecurityGroup');
    expect(groups.map(([id]) => id)).toEqual([expect.stringMatching(/^DriftlessNetworkWorkerSecurityGroup/)]);
    expect(worker.VpcConfig.SecurityGroupIds.map(render)).toEqual([`<${groups[0][0]}.GroupId>`]);
    // Nothing may connect to the worker.
    expect(groups[0][1].Properties.SecurityGroupIngress).toBeUndefined();
    expect(functionProps(template, 'Webhook').VpcConfig).toBeUndefined();
    expect(functionProps(template, 'DriftScan').VpcConfig).toBeUndefined();
    // No endpoints unless asked.
    expect(ofType(template, 'AWS::EC2::VPCEndpoint')).toEqual([]);
  });

  it('gives the worker role the network-interface actions Lambda performs for a VPC function, and the others none', () => {
    const statements = iamStatements(synthStack({ vpc: VPC }).template.toJSON() as never);
    const eni = statements.filter((statement) => statement.actions.includes('ec2:CreateNetworkInterface'));
    expect(eni.flatMap((statement) => statement.roles)).toEqual([expect.stringContaining('SyncWorkerRole')]);
    expect(eni[0].actions.sort()).toEqual([
      'ec2:AssignPrivateIpAddresses',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:UnassignPrivateIpAddresses',
    ]);
    // Without a VPC, no such permission anywhere.
    expect(iamStatements(synthStack().template.toJSON() as never).filter((s) => s.actions.some((a) => a.startsWith('ec2:')))).toEqual([]);
  });

  it('creates interface endpoints for STS, EKS, SQS, Secrets Manager, EventBridge, X-Ray and CloudWatch (rollout gates read alarms), and gateway endpoints for S3 and DynamoDB', () => {
    const { template } = synthStack({ vpc: { ...VPC, createEndpoints: true } });
    const endpoints = ofType(template, 'AWS::EC2::VPCEndpoint').map(([, resource]) => resource.Properties);
    const service = (props: Cfn) => render(props.ServiceName).replace(/^com\.amazonaws\.<AWS::Region>\./, '');
    const interfaces = endpoints.filter((props) => props.VpcEndpointType === 'Interface');
    expect(interfaces.map(service).sort()).toEqual(['eks', 'events', 'kms', 'monitoring', 'secretsmanager', 'sqs', 'sts', 'xray']);
    for (const props of interfaces) {
      expect(props.PrivateDnsEnabled).toBe(true);
      expect(props.SubnetIds).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2']);
      expect(props.VpcId).toBe('vpc-0a1b2c3d4e5f60718');
    }
    const gateways = endpoints.filter((props) => props.VpcEndpointType === 'Gateway');
    expect(gateways.map(service).sort()).toEqual(['dynamodb', 's3']);
    for (const props of gateways) expect(props.RouteTableIds).toEqual(['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2']);

    // Each endpoint's group admits the worker's group on 443, and nobody else.
    const workerGroup = ofType(template, 'AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('DriftlessNetworkWorkerSecurityGroup'))![0];
    const endpointGroups = ofType(template, 'AWS::EC2::SecurityGroup').filter(([id]) => id !== workerGroup);
    expect(endpointGroups).toHaveLength(8);
    for (const [id, group] of endpointGroups) {
      const ingress = [
        ...(group.Properties.SecurityGroupIngress ?? []),
        ...ofType(template, 'AWS::EC2::SecurityGroupIngress')
          .map(([, rule]) => rule.Properties)
          .filter((rule) => render(rule.GroupId) === `<${id}.GroupId>`),
      ];
      expect(
        ingress.map((rule: Cfn) => [rule.FromPort, rule.ToPort, render(rule.SourceSecurityGroupId), rule.CidrIp]),
        id,
      ).toEqual([[443, 443, `<${workerGroup}.GroupId>`, undefined]]);
    }
  });

  it("opens each private cluster's security group to the worker on 443", () => {
    const { template } = synthStack({ vpc: { ...VPC, clusterSecurityGroupIds: ['sg-0123456789abcdef0'] } });
    const rules = ofType(template, 'AWS::EC2::SecurityGroupIngress').map(([, rule]) => rule.Properties);
    const workerGroup = ofType(template, 'AWS::EC2::SecurityGroup')[0][0];
    expect(rules.map((rule) => ({ ...rule, SourceSecurityGroupId: render(rule.SourceSecurityGroupId) }))).toEqual([
      {
        GroupId: 'sg-0123456789abcdef0',
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: `<${workerGroup}.GroupId>`,
        Description: 'Driftless sync worker to the Kubernetes API server',
      },
    ]);
  });

  it('uses given security groups instead of creating one', () => {
    const { template } = synthStack({ vpc: { ...VPC, securityGroupIds: ['sg-0fedcba9876543210'] } });
    expect(functionProps(template, 'SyncWorker').VpcConfig.SecurityGroupIds).toEqual(['sg-0fedcba9876543210']);
    expect(ofType(template, 'AWS::EC2::SecurityGroup')).toEqual([]);
  });

  it('sends GitHub traffic through a proxy when asked, AWS endpoints and the runtime API directly', () => {
    const { template } = synthStack({ vpc: { ...VPC, httpsProxy: 'http://proxy.internal:3128' } });
    const env = functionProps(template, 'SyncWorker').Environment.Variables;
    expect(env.HTTPS_PROXY).toBe('http://proxy.internal:3128');
    expect(env.NODE_USE_ENV_PROXY).toBe('1');
    expect(env.NO_PROXY.split(',')).toEqual(expect.arrayContaining(['.amazonaws.com', '127.0.0.1', '169.254.169.254']));
    expect(functionProps(template, 'Webhook').Environment.Variables.HTTPS_PROXY).toBeUndefined();
  });

  it('refuses ids that are not what they say', () => {
    expect(() => synthStack({ vpc: { ...VPC, clusterSecurityGroupIds: ['eks-cluster-sg'] } })).toThrow(
      /clusterSecurityGroupIds\[0\] "eks-cluster-sg" is not a security group id/,
    );
    expect(() => synthStack({ vpc: { ...VPC, httpsProxy: 'proxy:3128' } })).toThrow(/httpsProxy "proxy:3128" is not a proxy URL/);
  });
});
