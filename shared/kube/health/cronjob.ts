// CronJob: nothing to wait for, only whether it is switched off (as Argo CD's bundled
// batch/CronJob check reports it; kstatus calls every CronJob Current).
import type { KubeObject } from '../object.ts';
import { spec } from './fields.ts';
import { health, type Health } from './status.ts';

export function cronJobHealth(object: KubeObject): Health {
  return spec(object).suspend === true ? health('Suspended', 'CronJob is suspended') : health('Healthy');
}
