// Why a delivery was refused. Each carries the HTTP status the webhook answers with, so bad
// input is always a 4xx and never reaches a 5xx.

export class WebhookError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebhookError';
    this.statusCode = statusCode;
  }
}

export class SignatureError extends WebhookError {
  constructor(message: string) {
    super(401, message);
    this.name = 'SignatureError';
  }
}

export class BadDeliveryError extends WebhookError {
  constructor(message: string, statusCode = 400, options?: ErrorOptions) {
    super(statusCode, message, options);
    this.name = 'BadDeliveryError';
  }
}
