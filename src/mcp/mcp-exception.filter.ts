import { ArgumentsHost, Catch, Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from 'src/auth/auth.errors';
import { mcpChallenge } from 'src/auth/challenge';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import type { AreaErrorFilter } from 'src/common/filters/area-error-filters';
import {
  describeHttpError,
  sendErrorAnswer,
  statusForCode,
} from 'src/common/filters/http-exception.filter';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';

type RpcId = string | number | null;

/** The MCP endpoint's URL (with or without a query string). */
export const isMcpPath = (url: string): boolean => url === '/mcp' || url.startsWith('/mcp?');

/**
 * A database that could not be read while answering one MCP request: 503 + `Retry-After` with the
 * request's id, instead of a result (a client must not mistake an outage for an answer).
 */
export class McpOutageError extends DomainError {
  constructor(readonly rpcId: RpcId) {
    super(ErrorCode.Unavailable, 'Temporarily unavailable, retry shortly');
    this.name = 'McpOutageError';
  }
}

/**
 * Every error at `/mcp` as a JSON-RPC error body with the HTTP status of the plain answer: credential
 * errors with the MCP challenge (401/403 + `WWW-Authenticate: Bearer resource_metadata=…`, MCP
 * authorization, RFC 6750 §3), request errors as -32700/-32600, the rest as -32603. Bound to the MCP
 * controller, and registered for errors raised at /mcp before routing (body parsing, size limits).
 */
@Catch()
@Injectable()
export class McpExceptionFilter implements AreaErrorFilter {
  private readonly logger = new Logger('McpExceptionFilter');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  owns(url: string): boolean {
    return isMcpPath(url);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    sendErrorAnswer(reply, this.describe(exception, String(req.id ?? '')));
  }

  private describe(
    exception: unknown,
    requestId: string,
  ): { status: number; body: object; headers: Record<string, string> } {
    if (exception instanceof AuthError) {
      const challenge = mcpChallenge(exception, this.config.publicUrl);
      const status = statusForCode(exception.code);
      return {
        status,
        body: rpcError(status === 400 ? -32600 : -32001, exception.message, exception.rpcId),
        headers: challenge ? { 'www-authenticate': challenge } : {},
      };
    }
    const plain = describeHttpError(exception, requestId, this.logger);
    delete plain.headers['www-authenticate'];
    // A 400 of the body parser is a JSON-RPC parse error; any other refusal an invalid request.
    const parseError = plain.status === 400 && !(exception instanceof DomainError);
    const code = parseError ? -32700 : plain.status < 500 ? -32600 : -32603;
    const id = exception instanceof McpOutageError ? exception.rpcId : null;
    return {
      status: plain.status,
      body: rpcError(code, plain.body.message, id),
      headers: plain.headers,
    };
  }
}

const rpcError = (code: number, message: string, id: RpcId): object => ({
  jsonrpc: '2.0',
  error: { code, message },
  id,
});
