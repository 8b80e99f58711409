// Notifications from the bus to Slack and webhooks (README "Notifications"). The worker renders
// each message from the config repository's templates and puts a `Notification` event on the
// bus with the request body ready; here, per destination, an EventBridge Connection (its
// credentials from Secrets Manager), an API destination and a rule matching the destination's
// name that posts `detail.body` as it is. Nothing renders or runs code in between.
import { SecretValue } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { z } from 'zod';

/** chat.postMessage: with a bot token it posts to the subscription's channel (`channel` in the body). */
export const SLACK_POST_MESSAGE = 'https://slack.com/api/chat.postMessage';

export interface NotificationDestination {
  /** The service name subscriptions use (`notifications.argoproj.io/subscribe.<trigger>.<name>`, `<name>:<recipient>`). */
  readonly name: string;
  readonly type: 'slack' | 'webhook';
  /** Where to POST. Slack: an incoming webhook URL; absent with `secretArn`: chat.postMessage. */
  readonly url?: string;
  /**
   * A Secrets Manager secret with the credentials. `apiKey` (default): the secret's string is
   * the header's value (`Bearer xoxb-…` for a Slack bot token). `basic`: JSON with `username`
   * and `password`.
   */
  readonly secretArn?: string;
  readonly auth?: 'apiKey' | 'basic';
  /** The header an `apiKey` secret goes in. Default `Authorization`. */
  readonly apiKeyName?: string;
  /** Requests per second EventBridge sends at most (it queues the rest for up to 24 hours). */
  readonly rateLimitPerSecond?: number;
}

export interface NotificationsProps {
  readonly bus: events.IEventBus;
  readonly destinations: NotificationDestination[];
  /** The events' source. Default `driftless`. */
  readonly source?: string;
}

/** Destination names become construct ids and API destination names (64 characters). */
const DESTINATION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/** The `notifications` context key (infra/context.ts): a typo fails the synth naming the key. */
export const notificationsContextSchema = z
  .object({
    destinations: z
      .array(
        z
          .object({
            name: z.string().regex(DESTINATION_NAME, 'letters, digits, "_", "." or "-", up to 48, starting with a letter or digit'),
            type: z.enum(['slack', 'webhook']),
            url: z.string().url().startsWith('https://', 'an https URL').optional(),
            secretArn: z.string().regex(SECRET_ARN, 'a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)').optional(),
            auth: z.enum(['apiKey', 'basic']).optional(),
            apiKeyName: z.string().min(1).optional(),
            rateLimitPerSecond: z.number().int().positive().optional(),
          })
          .strict()
          .refine((destination) => destination.url !== undefined || (destination.type === 'slack' && destination.secretArn !== undefined), {
            message: 'needs a url (a Slack destination without one needs a secretArn with a bot token, for chat.postMessage)',
            path: ['url'],
          })
          .refine((destination) => destination.secretArn !== undefined || (destination.auth === undefined && destination.apiKeyName === undefined), {
            message: 'auth and apiKeyName describe the secret: set secretArn too',
            path: ['auth'],
          }),
      )
      .min(1, 'must list at least one destination')
      .refine((destinations) => new Set(destinations.map((destination) => destination.name)).size === destinations.length, 'destination names must be unique'),
  })
  .strict();

export class Notifications extends Construct {
  /** Destination name → its rule, for tests and for anyone adding a dead-letter queue or alarm. */
  readonly rules: Record<string, events.Rule> = {};

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    for (const destination of props.destinations) {
      const node = new Construct(this, destination.name);
      const connection = new events.Connection(node, 'Connection', {
        description: `Driftless notifications: ${destination.name} (${destination.type})`,
        authorization: authorizationOf(destination),
      });
      const apiDestination = new events.ApiDestination(node, 'Destination', {
        description: `Driftless notifications: ${destination.name}`,
        connection,
        endpoint: destination.url ?? SLACK_POST_MESSAGE,
        httpMethod: events.HttpMethod.POST,
        rateLimitPerSecond: destination.rateLimitPerSecond,
      });
      this.rules[destination.name] = new events.Rule(node, 'Rule', {
        description: `Driftless Notification events for ${destination.name}`,
        eventBus: props.bus,
        eventPattern: { source: [props.source ?? 'driftless'], detailType: ['Notification'], detail: { destination: [destination.name] } },
        // The body the worker rendered, posted as it is: Slack's text/channel/blocks, or the webhook's JSON.
        targets: [new targets.ApiDestination(apiDestination, { event: events.RuleTargetInput.fromEventPath('$.detail.body') })],
      });
    }
  }
}

function authorizationOf(destination: NotificationDestination): events.Authorization {
  if (destination.secretArn === undefined) {
    // A Connection must have an authorization; a Slack incoming webhook (or an open webhook)
    // needs none, so it gets a harmless header of its own, as EventBridge's docs suggest.
    return events.Authorization.apiKey('X-Driftless-Destination', SecretValue.unsafePlainText(destination.name));
  }
  if (destination.auth === 'basic') {
    return events.Authorization.basic(
      SecretValue.secretsManager(destination.secretArn, { jsonField: 'username' }).unsafeUnwrap(),
      SecretValue.secretsManager(destination.secretArn, { jsonField: 'password' }),
    );
  }
  return events.Authorization.apiKey(destination.apiKeyName ?? 'Authorization', SecretValue.secretsManager(destination.secretArn));
}
