import { AuditService } from 'src/audit/audit.service';
import { AuditEventType } from 'src/audit/audit-event.types';
import { LoginThrottle } from 'src/oauth/authorize/login-throttle';
import {
  PasswordSignInService,
  SIGN_IN_FAILED,
} from 'src/oauth/authorize/password-sign-in.service';
import { UserDto } from 'src/users/dto/user.dto';
import { UsersService } from 'src/users/users.service';

const USER: UserDto = {
  id: 'u1',
  email: 'a@x.example',
  name: 'A',
  disabled: false,
  createdAt: '2024-01-01T00:00:00.000Z',
};

describe('PasswordSignInService', () => {
  let authenticate: jest.Mock;
  let throttle: {
    retryAfterSeconds: jest.Mock;
    recordFailure: jest.Mock;
    recordSuccess: jest.Mock;
  };
  let record: jest.Mock;
  let sut: PasswordSignInService;

  beforeEach(() => {
    authenticate = jest.fn(async (_email: string, password: string) =>
      password === 'right' ? USER : null,
    );
    throttle = {
      retryAfterSeconds: jest.fn(async () => 0),
      recordFailure: jest.fn(async () => undefined),
      recordSuccess: jest.fn(),
    };
    record = jest.fn();
    sut = new PasswordSignInService(
      { authenticate } as unknown as UsersService,
      throttle as unknown as LoginThrottle,
      { record } as unknown as AuditService,
    );
  });

  it('should ask for both fields with 400 without counting a failure', async () => {
    await expect(sut.check('', 'right', '1.1.1.1', 'oauth')).resolves.toEqual({
      ok: false,
      status: 400,
      error: 'Enter your email address and password.',
    });
    await expect(sut.check('a@x.example', '', '1.1.1.1', 'oauth')).resolves.toMatchObject({
      status: 400,
    });
    expect(throttle.recordFailure).not.toHaveBeenCalled();
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('should refuse with 429 and the wait in whole minutes before checking the password', async () => {
    throttle.retryAfterSeconds.mockResolvedValue(61);
    await expect(sut.check('a@x.example', 'right', '1.1.1.1', 'oauth')).resolves.toEqual({
      ok: false,
      status: 429,
      error: 'Too many failed sign-in attempts. Try again in 2 minutes.',
      retryAfterSeconds: 61,
    });
    throttle.retryAfterSeconds.mockResolvedValue(60);
    await expect(sut.check('a@x.example', 'right', '1.1.1.1', 'oauth')).resolves.toMatchObject({
      error: 'Too many failed sign-in attempts. Try again in 1 minute.',
    });
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('should count a wrong password, audit it with the form, and answer 401', async () => {
    await expect(sut.check('a@x.example', 'wrong', '1.1.1.1', 'settings')).resolves.toEqual({
      ok: false,
      status: 401,
      error: SIGN_IN_FAILED,
    });
    expect(throttle.recordFailure).toHaveBeenCalledWith('a@x.example', '1.1.1.1');
    expect(record).toHaveBeenCalledWith({
      type: AuditEventType.SignInFailed,
      details: { via: 'settings' },
    });
  });

  it('should fail an over-long password without verifying it', async () => {
    const result = await sut.check('a@x.example', 'x'.repeat(513), '1.1.1.1', 'oauth');
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(authenticate).not.toHaveBeenCalled();
    expect(throttle.recordFailure).toHaveBeenCalledTimes(1);
  });

  it('should return the user, clear the account-and-IP counter and audit the success', async () => {
    await expect(sut.check('a@x.example', 'right', '1.1.1.1', 'oauth')).resolves.toEqual({
      ok: true,
      user: USER,
    });
    expect(throttle.recordSuccess).toHaveBeenCalledWith('a@x.example', '1.1.1.1');
    expect(record).toHaveBeenCalledWith({
      type: AuditEventType.SignInSucceeded,
      actorUserId: 'u1',
      targetType: 'user',
      targetId: 'u1',
      details: { via: 'oauth' },
    });
  });
});
