import type { Repository } from 'typeorm';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { buildAppConfig } from 'src/config/app.config';
import { validateEnv } from 'src/config/env.validation';
import { IdentityService } from 'src/users/identity.service';
import type { Organization } from 'src/users/organization.entity';
import type { User } from 'src/users/user.entity';

const NOT_FOUND = ErrorCode.NotFound;

describe('IdentityService', () => {
  const alice = { id: 'u1', email: 'alice@acme.example', name: 'Alice' };
  const acme = { id: 'o1', name: 'Acme', slug: 'acme' };

  function make(
    user: Partial<User> | null,
    organization: Partial<Organization> | null,
    cacheTtlMs = '0',
  ) {
    const users = { findOne: jest.fn(async () => user) };
    const organizations = { findOne: jest.fn(async () => organization) };
    const sut = new IdentityService(
      users as unknown as Repository<User>,
      organizations as unknown as Repository<Organization>,
      buildAppConfig(validateEnv({ AUTH_CACHE_TTL_MS: cacheTtlMs })),
    );
    return { sut, users, organizations };
  }

  it('should describe the user and the organization, and nothing else', async () => {
    const { sut, users, organizations } = make(
      { ...alice, disabledAt: null },
      { ...acme, createdAt: new Date() },
    );

    const identity = await sut.describe('u1', 'o1');

    expect(identity).toStrictEqual({ user: alice, organization: acme });
    expect(Object.keys(identity)).toEqual(['user', 'organization']);
    expect(users.findOne).toHaveBeenCalledWith(expect.objectContaining({ where: { id: 'u1' } }));
    expect(organizations.findOne).toHaveBeenCalledWith(
      expect.objectContaining({ where: { id: 'o1' } }),
    );
  });

  it.each([
    ['user', null, acme],
    ['organization', alice, null],
  ])('should answer "User not found" when the %s is missing', async (_, user, organization) => {
    const { sut } = make(user, organization);

    await expect(sut.describe('u1', 'o1')).rejects.toThrow(
      new DomainError(NOT_FOUND, 'User not found'),
    );
  });

  it('should reuse a description within AUTH_CACHE_TTL_MS, per user and organization', async () => {
    const { sut, users } = make(alice, acme, '4000');

    await sut.describe('u1', 'o1');
    await sut.describe('u1', 'o1');
    await sut.describe('u1', 'o2');

    expect(users.findOne).toHaveBeenCalledTimes(2);
  });

  it('should read again when caching is off', async () => {
    const { sut, users } = make(alice, acme, '0');

    await sut.describe('u1', 'o1');
    await sut.describe('u1', 'o1');

    expect(users.findOne).toHaveBeenCalledTimes(2);
  });
});
