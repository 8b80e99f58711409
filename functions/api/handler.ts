// The dashboard's API behind an API Gateway HTTP API with a JWT authorizer: the verified
// claims (requestContext.authorizer.jwt.claims) become the identity, the request goes to the
// plain core in shared/api, its answer back as the HTTP API's result. No claims: 401, which
// only a route left without the authorizer would see.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiDeps } from '../../shared/api/deps.ts';
import { apiDependencies } from '../../shared/api/environment.ts';
import { apiRequestOf, apiResultOf } from '../../shared/api/http-event.ts';
import { handleApiRequest } from '../../shared/api/router.ts';
import { functionTracer, tracingMiddleware } from '../../shared/runtime/tracing.ts';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'driftless' });
// Before any client is built: the runtime captures its AWS SDK clients with it (a no-op outside Lambda).
const tracer = await functionTracer('api');

let dependencies: ApiDeps | undefined;

export async function api(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> {
  dependencies ??= apiDependencies(process.env, logger);
  const request = apiRequestOf(event);
  // The subject and the route, never the token or the other claims.
  logger.appendKeys({ user: request.identity?.user, route: `${request.method} ${request.path}` });
  return apiResultOf(await handleApiRequest(request, dependencies));
}

export const handler = middy(api)
  .use(tracingMiddleware(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }));
