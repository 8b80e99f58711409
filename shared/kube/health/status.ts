// The health vocabulary, as gitops-engine names it, so a status means the same here as in
// Argo CD. kstatus's words map onto it: Current → Healthy, InProgress → Progressing,
// Failed → Degraded, Terminating → Progressing, NotFound → Missing.

export const HEALTH_STATUSES = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface Health {
  status: HealthStatus;
  message?: string;
}

export function health(status: HealthStatus, message?: string): Health {
  return message ? { status, message } : { status };
}
