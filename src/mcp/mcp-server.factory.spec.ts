import { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import type { AuditService } from 'src/audit/audit.service';
import { notFound } from 'src/common/errors/domain-error';
import type { AppConfig } from 'src/config/app.config';
import type { MetricsService } from 'src/metrics/metrics.service';
import type { CatalogResources } from 'src/mcp/catalog.resources';
import type { McpCallContext } from 'src/mcp/mcp-call-context';
import { McpServerFactory } from 'src/mcp/mcp-server.factory';
import type { RegisteredTool, ToolRegistry } from 'src/mcp/tool-registry.service';
import { ERROR_META_KEY, INTERNAL_ERROR } from 'src/mcp/tool-results';
import type { ToolResult } from 'src/mcp/tool.decorator';

describe('McpServerFactory.callTool', () => {
  const principal: UserPrincipal = {
    kind: 'user',
    userId: 'u1',
    organizationId: 'o1',
    organizationRole: 'member',
    scopes: ['mcp'],
    authMethod: 'api_key',
  };
  const definition = {
    name: 'echo',
    title: 'Echo',
    description: 'Echoes',
    scope: Scope.Write as const,
    input: z.object({ say: z.string() }),
    output: z.object({ said: z.string() }),
  };

  function make(run: RegisteredTool['run']) {
    const metrics = { toolCalled: jest.fn() };
    const audit = { record: jest.fn() };
    const sut = new McpServerFactory(
      {} as ToolRegistry,
      {} as CatalogResources,
      metrics as unknown as MetricsService,
      audit as unknown as AuditService,
      { publicUrl: 'http://127.0.0.1:1' } as AppConfig,
    );
    const tool: RegisteredTool = { definition, readOnly: false, run: jest.fn(run) };
    const call = (): McpCallContext => ({
      principal,
      request: { ip: '127.0.0.1', headers: { 'user-agent': 'jest' } },
      databaseUnavailable: false,
    });
    return { sut, tool, metrics, audit, call };
  }

  const said = (say: string): ToolResult => ({ structured: { said: say }, text: say });

  it('should answer without a promise when the tool answers without one, and record the call', () => {
    const { sut, tool, metrics, audit, call } = make((_p, input) => said(String(input.say)));

    const result = sut.callTool(tool, { say: 'hi' }, call());

    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toMatchObject({ structuredContent: { said: 'hi' } });
    expect(metrics.toolCalled).toHaveBeenCalledWith('echo', 'ok');
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ targetId: 'echo', details: { tool: 'echo', outcome: 'ok' } }),
    );
  });

  it('should answer a promise when the tool does', async () => {
    const { sut, tool, call } = make(async (_p, input) => said(String(input.say)));

    const result = sut.callTool(tool, { say: 'hi' }, call());

    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toMatchObject({ structuredContent: { said: 'hi' } });
  });

  it('should refuse invalid arguments before the tool runs', () => {
    const { sut, tool, metrics, call } = make(() => said('never'));

    const result = sut.callTool(tool, { say: 1 }, call());

    expect(tool.run).not.toHaveBeenCalled();
    expect(result).toMatchObject({
      isError: true,
      _meta: { [ERROR_META_KEY]: { code: 'invalid_argument' } },
    });
    expect(metrics.toolCalled).toHaveBeenCalledWith('echo', 'error');
  });

  it.each([
    [
      'thrown',
      () => {
        throw notFound('No such thing');
      },
    ],
    ['rejected', () => Promise.reject(notFound('No such thing'))],
  ])('should answer a domain error %s by the tool as a tool error', async (_how, run) => {
    const { sut, tool, audit, call } = make(run);

    const result = await sut.callTool(tool, { say: 'x' }, call());

    expect(result).toMatchObject({
      isError: true,
      _meta: { [ERROR_META_KEY]: { code: 'not_found' } },
    });
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ details: { tool: 'echo', outcome: 'not_found' } }),
    );
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['returns what its output schema refuses', () => ({ structured: { said: 1 }, text: 'x' })],
  ])('should answer a crash, with the cause logged only, when the tool %s', async (_how, run) => {
    const { sut, tool, metrics, call } = make(run);
    const logged = jest
      .spyOn((sut as unknown as { logger: { error: () => void } }).logger, 'error')
      .mockImplementation(() => undefined);

    const result = await sut.callTool(tool, { say: 'x' }, call());

    expect(result).toMatchObject({
      isError: true,
      _meta: { [ERROR_META_KEY]: { code: INTERNAL_ERROR } },
    });
    expect(JSON.stringify(result)).not.toContain('boom');
    expect(metrics.toolCalled).toHaveBeenCalledWith('echo', 'failed');
    expect(logged).toHaveBeenCalledTimes(1);
  });
});
