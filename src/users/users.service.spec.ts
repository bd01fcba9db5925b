import type { Repository } from 'typeorm';
import { systemPrincipal } from 'src/auth/principal';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { verifyPassword } from 'src/users/password';
import type { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';

describe('UsersService.setPassword', () => {
  const ada = {
    id: 'u1',
    email: 'ada@example.com',
    name: 'Ada',
    disabledAt: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
  };

  function make(user: Partial<User> | null) {
    const users = {
      createQueryBuilder: jest.fn(() => ({
        where: jest.fn().mockReturnThis(),
        getOne: jest.fn(async () => user),
      })),
      update: jest.fn(async () => ({ affected: 1 })),
    };
    return { sut: new UsersService(users as unknown as Repository<User>), users };
  }

  const failure = (promise: Promise<unknown>): Promise<DomainError> =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (err: DomainError) => err,
    );

  it('should store an argon2id hash of the new password and describe the user', async () => {
    const { sut, users } = make(ada);

    const result = await sut.setPassword(systemPrincipal(), ' Ada@Example.com ', 'a new password');

    expect(result).toMatchObject({ id: 'u1', email: 'ada@example.com', disabled: false });
    const [where, changes] = users.update.mock.calls[0] as unknown as [
      object,
      { passwordHash: string },
    ];
    expect(where).toEqual({ id: 'u1' });
    expect(Object.keys(changes)).toEqual(['passwordHash']);
    expect(changes.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(changes.passwordHash, 'a new password')).toBe(true);
  });

  it.each([
    ['too short', 'short'],
    ['too long', 'x'.repeat(257)],
  ])('should refuse a password that is %s, before touching the account', async (_, password) => {
    const { sut, users } = make(ada);

    const err = await failure(sut.setPassword(systemPrincipal(), ada.email, password));

    expect(err).toMatchObject({ code: ErrorCode.InvalidArgument });
    expect(err.message).toMatch(/8 to 256 characters/);
    expect(users.update).not.toHaveBeenCalled();
  });

  it('should answer "not found" for an unknown email', async () => {
    const { sut, users } = make(null);

    const err = await failure(
      sut.setPassword(systemPrincipal(), 'Nobody@x.example', 'long enough'),
    );

    expect(err).toMatchObject({ code: ErrorCode.NotFound });
    expect(err.message).toBe('User nobody@x.example not found');
    expect(users.update).not.toHaveBeenCalled();
  });

  it('should let only an operator set a password', async () => {
    const { sut, users } = make(ada);
    const user = { kind: 'user', userId: 'u2' } as unknown as Parameters<typeof sut.setPassword>[0];

    const err = await failure(sut.setPassword(user, ada.email, 'long enough'));

    expect(err).toMatchObject({ code: ErrorCode.Forbidden });
    expect(users.update).not.toHaveBeenCalled();
  });
});
