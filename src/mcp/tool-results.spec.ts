import { stringify } from 'yaml';
import { DomainError, ErrorCode, invalidArgument } from 'src/common/errors/domain-error';
import { validateContract } from 'src/catalog/data-contract-validation';
import { DEMO_DATA, DEMO_TEAMS } from 'src/catalog/demo/demo-data';
import { toOdcsDocument } from 'src/catalog/demo/demo-model';
import { GetDataContractResult, storedDocument } from 'src/catalog/dto/data-contracts.dto';
import type { SearchDataProductsResult } from 'src/catalog/dto/data-products.dto';
import { termsOfUseReasonSchema } from 'src/catalog/dto/query.dto';
import { evaluateTermsOfUse } from 'src/catalog/query/terms-of-use';
import { ERROR_META_KEY, toolCrash, toolFailure, toolSuccess } from 'src/mcp/tool-results';
import {
  expectAcceptedFailure,
  expectAcceptedSuccess,
  outputSchemaErrors,
} from 'test/factories/tool-output-assertions';
import { toolDefinition, toolDefinitions } from 'test/factories/tool.factory';

const ports = DEMO_DATA.products.flatMap((product) =>
  product.outputPorts.map((port) => ({ product, port })),
);

/** Every demo product of acme as search shows it, from the static demo model. */
function acmeSearchPage(): SearchDataProductsResult {
  const rank = { Gold: 1, Silver: 2, Bronze: 3 } as const;
  return {
    results: DEMO_DATA.products
      .filter((p) => p.organization === 'acme')
      .map((p) => ({
        id: p.externalId,
        name: p.name,
        description: p.description,
        status: p.status,
        archetype: p.archetype,
        ownerTeam: {
          id: p.ownerTeam,
          name: DEMO_TEAMS.find((t) => t.externalId === p.ownerTeam)?.name ?? '',
        },
        tags: p.tags,
        certification: p.certification
          ? { name: p.certification, rank: rank[p.certification] }
          : null,
        outputPorts: p.outputPorts.map((o) => ({
          id: o.externalId,
          name: o.name,
          type: o.type,
          status: 'active' as const,
        })),
      })),
    nextCursor: 'eyJvIjoyMH0',
  };
}

describe('toolSuccess', () => {
  const search = toolDefinition('search');

  it('should send every field of a search page, and the same as JSON in a second text block', () => {
    const structured = acmeSearchPage();
    const sut = toolSuccess(search, { structured, text: '5 data product(s)' });
    expectAcceptedSuccess(search, sut, structured);
    expect(sut.content?.[0]).toEqual({ type: 'text', text: '5 data product(s)' });
  });

  it('should drop a key the output schema does not describe, at any depth, instead of sending it', () => {
    const page = acmeSearchPage();
    const leaky = {
      ...page,
      organizationId: 'a-uuid',
      results: page.results.map((r) => ({ ...r, ownerTeam: { ...r.ownerTeam, uuid: 'x' } })),
    };
    expect(outputSchemaErrors(search, leaky)).toHaveLength(3);

    const sut = toolSuccess(search, { structured: leaky, text: 'x' });

    expect(sut.structuredContent).toEqual(page);
    expect(outputSchemaErrors(search, sut.structuredContent)).toEqual([]);
  });

  it('should refuse to send a result the output schema does not admit', () => {
    const page = acmeSearchPage();
    const wrong = { ...page, results: [{ ...page.results[0], status: 'archived' }] };
    expect(() => toolSuccess(search, { structured: wrong, text: 'x' })).toThrow(/status/);
  });

  describe.each(['json', 'yaml'] as const)('datacontract_get as %s', (format) => {
    const get = toolDefinition('datacontract_get');

    it.each(ports.map(({ product, port }) => [port.contract.externalId, product, port] as const))(
      'should send the demo contract %s as stored, within the output schema',
      (_id, product, port) => {
        const document = toOdcsDocument(port.contract, product.ownerTeam);
        const implementedBy = [
          { dataProductId: product.externalId, outputPortId: port.externalId },
        ];
        const structured: GetDataContractResult =
          format === 'json'
            ? { dataContract: storedDocument(document), implementedBy }
            : { yaml: stringify(document), implementedBy };

        expectAcceptedSuccess(get, toolSuccess(get, { structured, text: 'x' }), structured);
      },
    );
  });

  it('should keep the ODCS properties a contract has beyond the described header', () => {
    const get = toolDefinition('datacontract_get');
    const [{ product, port }] = ports;
    const dataContract = storedDocument({
      ...toOdcsDocument(port.contract, product.ownerTeam),
      servers: [{ server: 'production', type: 'postgres' }],
      support: [{ channel: '#orders', url: 'https://chat.example/orders' }],
      team: { name: product.ownerTeam, members: [{ username: 'alice' }] },
    });
    const structured = { dataContract, implementedBy: [] };

    const sut = toolSuccess(get, { structured, text: 'x' });

    expectAcceptedSuccess(get, sut, structured);
    expect(sut.structuredContent).toMatchObject({
      dataContract: {
        servers: dataContract.servers,
        support: dataContract.support,
        team: dataContract.team,
      },
    });
  });
});

describe('toolSuccess of a result handed back again', () => {
  const search = toolDefinition('search');
  const fetchTool = toolDefinition('fetch');
  const page = () => ({ structured: acmeSearchPage(), text: '5 data product(s)' });

  it('should build the answer of a frozen result once and share it, frozen at every depth', () => {
    const result = Object.freeze(page());

    const first = toolSuccess(search, result);
    const again = toolSuccess(search, result);

    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.content)).toBe(true);
    expect(Object.isFrozen(first.content[1])).toBe(true);
    expect(Object.isFrozen((first.structuredContent as SearchDataProductsResult).results[0])).toBe(
      true,
    );
    expect(() => {
      (first.structuredContent as { nextCursor?: string }).nextCursor = 'changed';
    }).toThrow(TypeError);
    expectAcceptedSuccess(search, first, result.structured);
  });

  it('should answer a result that is not frozen anew every time (it may change in between)', () => {
    const result = page();

    const first = toolSuccess(search, result);
    result.text = '4 data product(s)';
    const again = toolSuccess(search, result);

    expect(again).not.toBe(first);
    expect(again.content[0]).toEqual({ type: 'text', text: '4 data product(s)' });
    expect(Object.isFrozen(again)).toBe(false);
  });

  it('should not share an answer between two tools', () => {
    const result = Object.freeze(page());

    const bySearch = toolSuccess(search, result);

    expect(() => toolSuccess(fetchTool, result)).toThrow();
    expect(toolSuccess(search, result)).toBe(bySearch);
  });
});

describe('toolFailure', () => {
  const definitions = toolDefinitions();

  it.each(Object.values(ErrorCode))(
    'should answer %s from every tool with isError, a next step and the code under _meta',
    (code) => {
      for (const d of definitions) {
        expectAcceptedFailure(d, toolFailure(d, new DomainError(code, 'It went wrong.')), code);
      }
    },
  );

  it('should keep the terms-of-use reasons of a refused query machine-readable', () => {
    const payments = ports.find(({ port }) => port.externalId === 'payments_v1');
    const contract = toOdcsDocument(payments!.port.contract, payments!.product.ownerTeam);
    const { reasons } = evaluateTermsOfUse({
      contract,
      purpose: 'marketing campaign',
      grantedRoles: [],
      query: { tables: ['payments'], identifiers: new Set(), selectsStar: true },
      queriesToday: 0,
    });
    expect(reasons.map((r) => r.id)).toEqual(['prohibited_purpose', 'restricted_columns']);
    const err = new DomainError(ErrorCode.TermsOfUseViolation, 'The query violates the terms.', {
      reasons,
    });

    const sut = toolFailure(toolDefinition('execute_query'), err);

    expectAcceptedFailure(toolDefinition('execute_query'), sut, 'terms_of_use_violation', {
      reasons,
    });
    expect(termsOfUseReasonSchema.array().parse(reasons)).toEqual(reasons);
    expect(sut.content).toEqual([
      {
        type: 'text',
        text: 'terms_of_use_violation: The query violates the terms. Call datacontract_get to read the terms of use, then change the purpose or the query.',
      },
    ]);
  });

  it('should keep the errors of an invalid data contract machine-readable', () => {
    const validation = validateContract({ kind: 'Contract' });
    if (validation.ok) throw new Error('expected an invalid contract');
    const save = toolDefinition('datacontract_save');
    const err = invalidArgument('The data contract is invalid', { errors: validation.errors });

    expectAcceptedFailure(save, toolFailure(save, err), 'invalid_argument', {
      errors: validation.errors,
    });
  });

  it('should keep the port of an access_required error machine-readable and point to request_access', () => {
    const query = toolDefinition('execute_query');
    const err = new DomainError(
      ErrorCode.AccessRequired,
      'You have no active access to orders/orders_pii_v1. Your request 1 is still waiting for approval by the provider team.',
      { dataProductId: 'orders', outputPortId: 'orders_pii_v1' },
    );

    const sut = toolFailure(query, err);

    expectAcceptedFailure(query, sut, 'access_required', {
      dataProductId: 'orders',
      outputPortId: 'orders_pii_v1',
    });
    expect(sut.content?.[0]).toMatchObject({ text: expect.stringMatching(/request_access/) });
  });

  it('should not repeat advice the message already gives', () => {
    const fetch = toolDefinition('fetch');
    const message =
      'Data product "nope" not found. Call search (query "*" lists all) to find data product ids.';

    const sut = toolFailure(fetch, new DomainError(ErrorCode.NotFound, message));

    expect(sut.content).toEqual([{ type: 'text', text: `not_found: ${message}` }]);
  });

  it('should name the tool to call again after invalid arguments', () => {
    const query = toolDefinition('execute_query');

    const sut = toolFailure(query, invalidArgument('limit must be an integer from 1 to 100'));

    expect(sut.content).toEqual([
      {
        type: 'text',
        text: 'invalid_argument: limit must be an integer from 1 to 100. Correct the arguments and call execute_query again.',
      },
    ]);
  });

  it('should keep the code and message when details use the same names', () => {
    const fetch = toolDefinition('fetch');
    const err = new DomainError(ErrorCode.Conflict, 'Real message.', {
      code: 'fake',
      message: 'fake',
      extra: 1,
    });

    expect(toolFailure(fetch, err)._meta?.[ERROR_META_KEY]).toEqual({
      code: 'conflict',
      message: 'Real message.',
      extra: 1,
    });
  });
});

describe('toolCrash', () => {
  it('should say only that the tool failed, with the internal_error code', () => {
    for (const d of toolDefinitions()) {
      const sut = toolCrash(d);

      expectAcceptedFailure(d, sut, 'internal_error');
      expect(sut.content).toEqual([
        {
          type: 'text',
          text: `internal_error: The ${d.name} tool failed unexpectedly. Try again later.`,
        },
      ]);
    }
  });
});

describe('the error _meta key', () => {
  it('should be a prefix and a name as MCP _meta keys are formed, outside the reserved prefixes', () => {
    const label = '[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
    const name = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
    expect(ERROR_META_KEY).toMatch(new RegExp(`^(?:${label}\\.)*${label}/${name}$`));
    const labels = ERROR_META_KEY.split('/')[0].split('.');
    expect(labels).not.toContain('mcp');
    expect(labels).not.toContain('modelcontextprotocol');
  });
});
