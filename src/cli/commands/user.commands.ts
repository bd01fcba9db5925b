import { CliCommandGroup, defineCommand } from 'src/cli/cli-command';
import { readNewSecret } from 'src/cli/secret-input';
import { UsersModule } from 'src/users/users.module';
import { UsersService } from 'src/users/users.service';

const create = defineCommand({
  name: 'user:create',
  summary: 'Create a user who signs in with email and password',
  options: {
    email: { value: 'EMAIL', description: 'sign-in email address', required: true },
    password: { value: 'PASSWORD', description: 'at least 8 characters', required: true },
    name: { value: 'NAME', description: 'display name; defaults to the part before the @' },
  },
  async run({ app, principal }, { email, password, name }) {
    const user = await app.get(UsersService).create(principal, { email, password, name });
    return {
      json: { id: user.id, email: user.email, name: user.name },
      text: `Created user ${user.email} (${user.name}), id ${user.id}`,
    };
  },
});

const disable = defineCommand({
  name: 'user:disable',
  summary: 'Disable a user: they can no longer sign in',
  options: {
    email: { value: 'EMAIL', description: 'email address of the user', required: true },
  },
  async run({ app, principal }, { email }) {
    const user = await app.get(UsersService).disable(principal, email);
    return {
      json: { id: user.id, email: user.email, disabled: true },
      text: `Disabled user ${user.email}, id ${user.id}`,
    };
  },
});

/** The way back from a lost password (the demo password is shown only on the first start). */
const setPassword = defineCommand({
  name: 'user:set-password',
  summary: "Set a user's password, e.g. a lost demo password",
  options: {
    email: { value: 'EMAIL', description: 'email address of the user', required: true },
    password: {
      value: 'PASSWORD',
      description:
        'at least 8 characters; without it, asked twice on a terminal (not echoed), else read from the first line of stdin',
    },
  },
  async run({ app, principal }, { email, password }) {
    const secret = password ?? (await readNewSecret('password'));
    const user = await app.get(UsersService).setPassword(principal, email, secret);
    return {
      json: { id: user.id, email: user.email, disabled: user.disabled },
      text: `Set the password of ${user.email}, id ${user.id}${user.disabled ? ' (the account stays disabled)' : ''}`,
    };
  },
});

export const userCommands: CliCommandGroup = {
  modules: [UsersModule],
  commands: [create, setPassword, disable],
};
