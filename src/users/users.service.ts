import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import { Repository } from 'typeorm';
import { isOrganizationAdmin, Principal } from 'src/auth/principal';
import { isUniqueViolation } from 'src/common/errors/database-errors';
import { conflict, forbidden, invalidArgument, notFound } from 'src/common/errors/domain-error';
import { UserDto } from 'src/users/dto/user.dto';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from 'src/users/password';
import { User } from 'src/users/user.entity';

export interface CreateUserInput {
  email: string;
  password: string;
  name?: string;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async create(principal: Principal, input: CreateUserInput): Promise<UserDto> {
    if (principal.kind !== 'system') throw forbidden('Only an operator can create users');
    const email = normalizeEmail(input.email ?? '');
    if (!isEmail(email)) throw invalidArgument(`"${input.email}" is not a valid email address`);
    const passwordHash = await hashCheckedPassword(input.password);
    const name = (input.name ?? '').trim() || email.split('@')[0];
    try {
      const saved = await this.users.save(
        this.users.create({ email, name, passwordHash, disabledAt: null }),
      );
      return toUserDto(saved);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`A user with email ${email} already exists`);
      throw err;
    }
  }

  async disable(principal: Principal, email: string): Promise<UserDto> {
    if (principal.kind !== 'system') throw forbidden('Only an operator can disable users');
    const user = await this.findByEmail(email);
    if (!user) throw notFound(`User ${normalizeEmail(email)}`);
    if (!user.disabledAt) {
      user.disabledAt = new Date();
      await this.users.update({ id: user.id }, { disabledAt: user.disabledAt });
    }
    return toUserDto(user);
  }

  /**
   * Replaces a user's password (the operator's way back from a lost one): same rules and hashing as
   * {@link create}. A disabled account stays disabled.
   */
  async setPassword(principal: Principal, email: string, password: string): Promise<UserDto> {
    if (principal.kind !== 'system') throw forbidden('Only an operator can set passwords');
    const passwordHash = await hashCheckedPassword(password);
    const user = await this.findByEmail(email);
    if (!user) throw notFound(`User ${normalizeEmail(email)}`);
    await this.users.update({ id: user.id }, { passwordHash });
    return toUserDto(user);
  }

  /** Whether any account exists: a server without one cannot be signed in to (start-up warns). */
  hasUsers(): Promise<boolean> {
    return this.users.exists();
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .where('lower(u.email) = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  async get(principal: Principal, userId: string, organizationId?: string): Promise<UserDto> {
    if (principal.kind === 'user' && principal.userId !== userId) {
      if (!organizationId || !isOrganizationAdmin(principal, organizationId)) {
        throw notFound('User');
      }
    }
    const user = await this.users.findOneBy({ id: userId });
    if (!user) throw notFound('User');
    return toUserDto(user);
  }

  /**
   * Checks a password. Returns the user only when the email exists, the account is enabled and the
   * password matches; the caller cannot tell which of those failed.
   */
  async authenticate(email: string, password: string): Promise<UserDto | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = :email', { email: normalizeEmail(email) })
      .getOne();
    if (!user) {
      // Spend comparable time on unknown emails so timing does not reveal which accounts exist.
      await verifyPassword(await dummyHash(), password);
      return null;
    }
    const ok = await verifyPassword(user.passwordHash, password);
    return ok && !user.disabledAt ? toUserDto(user) : null;
  }
}

/** The argon2id hash of a password that meets the length rules; invalid argument otherwise. */
function hashCheckedPassword(password: string | undefined): Promise<string> {
  const value = password ?? '';
  if (value.length < MIN_PASSWORD_LENGTH || value.length > MAX_PASSWORD_LENGTH) {
    throw invalidArgument(
      `The password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`,
    );
  }
  return hashPassword(value);
}

let dummy: Promise<string> | undefined;
const dummyHash = (): Promise<string> => (dummy ??= hashPassword(randomUUID()));
