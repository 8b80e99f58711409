// The worker inside a VPC, for clusters whose API endpoint is private: its security group,
// the VPC endpoints that let it reach AWS without the internet, the way into each cluster's
// security group, and (optionally) a proxy for the one destination no endpoint serves: GitHub.
// Only the worker goes in: the webhook and the drift scan never connect to a cluster.
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface WorkerNetworkProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the worker's network interfaces. Default: the VPC's private subnets with egress. */
  readonly subnets?: ec2.SubnetSelection;
  /** Default: one security group created here, all outbound allowed (GitHub, clusters, endpoints). */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Interface endpoints for STS, EKS, SQS, Secrets Manager, EventBridge, X-Ray and CloudWatch and gateway
   * endpoints for S3 and DynamoDB, in the worker's subnets. Default false: the VPC has a NAT
   * gateway or its own endpoints. Each interface endpoint costs per AZ and hour (README).
   */
  readonly createEndpoints?: boolean;
  /**
   * Security groups of private clusters (an EKS cluster's `clusterSecurityGroupId`): the
   * worker's group is let in on 443 in each. Default none: add the rule yourself.
   */
  readonly clusterSecurityGroupIds?: string[];
  /**
   * An HTTP(S) proxy for GitHub, when the subnets have no NAT: the worker gets HTTPS_PROXY,
   * NO_PROXY (AWS endpoints, the Lambda runtime API and instance metadata stay direct) and
   * NODE_USE_ENV_PROXY=1 (Node.js 24's fetch and https honour them).
   */
  readonly httpsProxy?: string;
}

/** What the worker needs: interface endpoints, one per service it calls. */
const INTERFACE_ENDPOINTS: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
  Sts: ec2.InterfaceVpcEndpointAwsService.STS, // cross-account AssumeRole
  Eks: ec2.InterfaceVpcEndpointAwsService.EKS, // DescribeCluster
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS, // continuations, visibility changes
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, // GitHub credentials
  EventBridge: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE, // Sync Succeeded/Failed, drift events
  XRay: ec2.InterfaceVpcEndpointAwsService.XRAY, // traces
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING, // DescribeAlarms for rollout gates
  Kms: ec2.InterfaceVpcEndpointAwsService.KMS, // SOPS data keys (projects' KMS decryption)
};

/** Hosts the worker reaches without a proxy: AWS's own (through endpoints or NAT), the runtime API, metadata. */
export const NO_PROXY = '.amazonaws.com,.amazonaws.com.cn,localhost,127.0.0.1,169.254.169.254,169.254.170.2';

export class WorkerNetwork extends Construct {
  declare readonly vpc: ec2.IVpc;
  declare readonly subnets: ec2.SubnetSelection;
  declare readonly securityGroups: ec2.ISecurityGroup[];
  declare readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];
  declare readonly gatewayEndpoints: ec2.GatewayVpcEndpoint[];
  declare readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: WorkerNetworkProps) {
    super(scope, id);
    this.vpc = props.vpc;
    this.subnets = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.securityGroups = props.securityGroups?.length
      ? props.securityGroups
      : [
          new ec2.SecurityGroup(this, 'WorkerSecurityGroup', {
            vpc: props.vpc,
            description: 'Driftless sync worker: no inbound; outbound to clusters, AWS endpoints and GitHub',
            allowAllOutbound: true,
          }),
        ];

    this.interfaceEndpoints = [];
    this.gatewayEndpoints = [];
    if (props.createEndpoints) {
      for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
        const endpoint = props.vpc.addInterfaceEndpoint(`${name}Endpoint`, {
          service,
          subnets: this.subnets,
          privateDnsEnabled: true,
          // Not open to the whole VPC: only the worker's group may use these endpoints.
          open: false,
        });
        for (const group of this.securityGroups) endpoint.connections.allowDefaultPortFrom(group, 'Driftless worker');
        this.interfaceEndpoints.push(endpoint);
      }
      // Gateway endpoints are free and route by the subnets' route tables.
      this.gatewayEndpoints.push(
        props.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [this.subnets] }),
        props.vpc.addGatewayEndpoint('DynamoDbEndpoint', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [this.subnets] }),
      );
    }

    (props.clusterSecurityGroupIds ?? []).forEach((groupId, index) => {
      if (!/^sg-[0-9a-f]{8,17}$/.test(groupId)) {
        throw new Error(`clusterSecurityGroupIds[${index}] "${groupId}" is not a security group id (sg-...).`);
      }
      this.securityGroups.forEach((group, groupIndex) => {
        new ec2.CfnSecurityGroupIngress(this, `Cluster${index}From${groupIndex}`, {
          groupId,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          sourceSecurityGroupId: group.securityGroupId,
          description: 'Driftless sync worker to the Kubernetes API server',
        });
      });
    });

    this.environment = {};
    if (props.httpsProxy !== undefined) {
      if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(props.httpsProxy)) {
        throw new Error(`httpsProxy "${props.httpsProxy}" is not a proxy URL (http://host:port).`);
      }
      this.environment = { HTTPS_PROXY: props.httpsProxy, NO_PROXY, NODE_USE_ENV_PROXY: '1' };
    }
  }
}
