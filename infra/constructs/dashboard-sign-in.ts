// Who may open the dashboard: a Cognito user pool made here (the default), or the
// organisation's own OpenID Connect provider (Okta, Entra ID, Google ...) named by its issuer.
// Either way the result is the same few facts: the issuer and audience the API's JWT authorizer
// checks, and what the UI needs to run the authorization code flow with PKCE.
import { Aws, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface DashboardOidcProvider {
  /** The issuer URL, exactly as the tokens' `iss` claim carries it. */
  readonly issuer: string;
  /** The `aud` values the API accepts. */
  readonly audience: string[];
  /** The UI's client id at the provider. Default: the first audience. */
  readonly clientId?: string;
  /** The claim with the user's groups. Default `groups`. */
  readonly groupsClaim?: string;
  /** Default `openid profile email`. */
  readonly scopes?: string[];
}

export interface DashboardSignInProps {
  /** The dashboard's own URL (`https://host`): where the provider sends the user back. */
  readonly siteUrl: string;
  /** The organisation's provider; without it a Cognito user pool is created. */
  readonly oidc?: DashboardOidcProvider;
  /** Cognito hosted UI prefix. Default `<stack name>-<account id>`. */
  readonly domainPrefix?: string;
  /** Cognito groups to create, for RBAC `g` lines (`cognito:groups`). */
  readonly groups?: string[];
  /** The user pool outlives the stack unless DESTROY. Default RETAIN (it holds the users). */
  readonly removalPolicy?: RemovalPolicy;
}

/** What the UI reads from `config.json` to sign in; the API reads none of it. */
export interface SignInSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: string[];
  /** Absent: the UI reads them from `<issuer>/.well-known/openid-configuration`. */
  readonly authorizationEndpoint?: string;
  readonly tokenEndpoint?: string;
  readonly endSessionEndpoint?: string;
  readonly redirectUri: string;
  /**
   * Which token the UI sends as `Authorization: Bearer`: the ID token, the one every provider
   * issues as a JWT for this client (Google's access tokens are opaque) with the groups claim.
   */
  readonly bearerToken: 'id_token';
}

const DEFAULT_SCOPES = ['openid', 'profile', 'email'];
export const COGNITO_GROUPS_CLAIM = 'cognito:groups';

export class DashboardSignIn extends Construct {
  declare readonly issuer: string;
  declare readonly audience: string[];
  /** The claim the API reads the user's groups from. */
  declare readonly groupsClaim: string;
  declare readonly settings: SignInSettings;
  declare readonly userPool: cognito.UserPool | undefined;
  declare readonly userPoolClient: cognito.UserPoolClient | undefined;

  constructor(scope: Construct, id: string, props: DashboardSignInProps) {
    super(scope, id);
    const redirectUri = `${props.siteUrl}/`;
    if (props.oidc) {
      const { issuer, audience } = props.oidc;
      if (audience.length === 0) throw new Error('dashboard.oidc.audience: give at least one audience.');
      const clientId = props.oidc.clientId ?? audience[0];
      this.issuer = issuer;
      // The UI sends the ID token, whose `aud` is the client id; an access token for an API
      // audience of the IdP's (Okta's `api://...`, Entra ID's app id URI) is accepted too.
      this.audience = [...new Set([...audience, clientId])];
      this.groupsClaim = props.oidc.groupsClaim ?? 'groups';
      this.settings = { issuer, clientId, scopes: props.oidc.scopes ?? DEFAULT_SCOPES, redirectUri, bearerToken: 'id_token' };
      return;
    }

    const pool = new cognito.UserPool(this, 'UserPool', {
      // Administrators invite users; nobody signs themselves up to a deployment tool.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      // A dashboard that can sync and roll back production: a second factor for everyone, an
      // authenticator app (SMS would need an SNS role and costs per message).
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: props.removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection needs the Plus feature plan, billed per monthly active user; sign-up is closed (users are invited), ' +
        'MFA is required and passwords are strong, which covers the risks it scores for a handful of operators.',
    });

    const domain = pool.addDomain('Domain', { cognitoDomain: { domainPrefix: domainPrefix(Stack.of(this), props.domainPrefix) } });
    // A public client (a browser keeps no secret): the authorization code flow, with PKCE, which
    // Cognito applies to every code request that carries a code_challenge.
    const client = pool.addClient('Client', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE, cognito.OAuthScope.EMAIL],
        callbackUrls: [redirectUri],
        logoutUrls: [redirectUri],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    for (const group of props.groups ?? []) {
      new cognito.CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: pool.userPoolId, groupName: group, description: 'Driftless dashboard RBAC group' });
    }

    this.userPool = pool;
    this.userPoolClient = client;
    this.issuer = pool.userPoolProviderUrl;
    // The ID token's `aud` is the client id (and an access token's `client_id`, which API
    // Gateway checks when a token has no `aud`).
    this.audience = [client.userPoolClientId];
    this.groupsClaim = COGNITO_GROUPS_CLAIM;
    const hostedUi = domain.baseUrl();
    this.settings = {
      issuer: this.issuer,
      clientId: client.userPoolClientId,
      scopes: DEFAULT_SCOPES,
      authorizationEndpoint: `${hostedUi}/oauth2/authorize`,
      tokenEndpoint: `${hostedUi}/oauth2/token`,
      endSessionEndpoint: `${hostedUi}/logout`,
      redirectUri,
      bearerToken: 'id_token',
    };
  }
}

// Cognito's rules for a prefix: lowercase letters, digits and hyphens, up to 63, none of its reserved words.
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED = /aws|amazon|cognito/;

/** The given prefix, checked, or `<stack name>-<account id>`: unique per account, so per region too. */
function domainPrefix(stack: Stack, given: string | undefined): string {
  if (given !== undefined) {
    if (!Token.isUnresolved(given) && (!PREFIX.test(given) || RESERVED.test(given))) {
      throw new Error(`dashboard domainPrefix "${given}": lowercase letters, digits and hyphens, up to 63, without "aws", "amazon" or "cognito".`);
    }
    return given;
  }
  const name = stack.stackName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 50);
  if (RESERVED.test(name)) {
    throw new Error(`dashboard: the stack name "${stack.stackName}" contains a word Cognito reserves (aws, amazon, cognito); set dashboard.domainPrefix.`);
  }
  return `${name}-${Aws.ACCOUNT_ID}`;
}
