// What a trigger sends when the notifications ConfigMap does not say: one template per trigger,
// named as Argo CD's catalog names them (plus `app-drift` for on-drift), text only. A config
// that defines a template of the same name replaces it.
import type { NotificationTemplate, TriggerName } from './types.ts';

export const BUILTIN_SEND: Record<TriggerName, string> = {
  'on-deployed': 'app-deployed',
  'on-sync-succeeded': 'app-sync-succeeded',
  'on-sync-failed': 'app-sync-failed',
  'on-health-degraded': 'app-health-degraded',
  'on-drift': 'app-drift',
};

const definedIn = { file: '(built in)' };

export const BUILTIN_TEMPLATES: Record<string, NotificationTemplate> = {
  'app-deployed': {
    name: 'app-deployed',
    message: 'Application {{.app}} is now running {{.shortRevision}} on {{.cluster}} ({{.health}}).',
    definedIn,
  },
  'app-sync-succeeded': {
    name: 'app-sync-succeeded',
    message: 'Application {{.app}} has been synced to {{.shortRevision}} on {{.cluster}}.',
    definedIn,
  },
  'app-sync-failed': {
    name: 'app-sync-failed',
    message: 'The sync of application {{.app}} to {{.shortRevision}} on {{.cluster}} has failed: {{.message}}',
    definedIn,
  },
  'app-health-degraded': {
    name: 'app-health-degraded',
    message: 'Application {{.app}} on {{.cluster}} has degraded: {{.message}}',
    definedIn,
  },
  'app-drift': {
    name: 'app-drift',
    message: 'Application {{.app}} on {{.cluster}} has drifted from Git ({{.driftedCount}} object(s)): {{.summary}}',
    definedIn,
  },
};
