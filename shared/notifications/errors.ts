// Errors of notifications. A template problem is the config repository's to fix and names the
// template and the file it is in; it is found when the registry loads, not when a sync ends.

export class NotificationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotificationError';
  }
}

/** A template uses something the substitution does not offer (a Go template action, an unknown variable). */
export class TemplateError extends NotificationError {
  readonly template: string;
  readonly field: string;
  constructor(template: string, field: string, message: string, options?: ErrorOptions) {
    super(`template "${template}" ${field}: ${message}`, options);
    this.name = 'TemplateError';
    this.template = template;
    this.field = field;
  }
}
