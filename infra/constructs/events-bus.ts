// Sync and drift events (source `driftless`) for anyone to subscribe to with their own rules.
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { DriftlessFunction } from './driftless-function.ts';

export interface EventsBusProps {
  /** Default `driftless`. Two installations in one account and region need different names. */
  readonly eventBusName?: string;
}

export class EventsBus extends Construct {
  declare readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: EventsBusProps = {}) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName ?? 'driftless' });
  }

  /** Grants events:PutEvents on this bus only and sets EVENT_BUS_NAME. */
  bind(fn: DriftlessFunction): void {
    fn.allow(['events:PutEvents'], [this.bus.eventBusArn]);
    fn.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
  }
}
