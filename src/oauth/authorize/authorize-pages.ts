import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { sendHtml, sendSeeOther } from 'src/oauth/authorize/page-response';
import {
  ClientDisplay,
  ConsentView,
  consentPage,
  errorPage,
  ErrorView,
  SignInView,
  signInPage,
} from 'src/oauth/authorize/views/pages';
import type { OAuthClient } from 'src/oauth/entities';
import { UsersService } from 'src/users/users.service';

/** What a step of the flow answers; AuthorizePages turns it into HTML or a 303. */
export type AuthorizeOutcome =
  | {
      kind: 'sign_in';
      status: 200 | 400 | 401 | 429;
      retryAfterSeconds?: number;
      view: SignInView;
      /** The client's redirect URI: the page's CSP lets the flow end there. */
      redirectUri: string;
    }
  | { kind: 'consent'; view: ConsentView; redirectUri: string }
  /** 303 to the client (code or error) or to the next page of the flow. */
  | { kind: 'redirect'; location: string };

/** The path part of PUBLIC_URL ('' at the root): forms and links are prefixed with it. */
export const basePathOf = (publicUrl: string): string =>
  new URL(publicUrl).pathname.replace(/\/+$/, '');

/** How a client is presented: dynamic clients are unverified, CIMD clients show their host. */
export function describeClient(client: Pick<OAuthClient, 'clientName' | 'kind' | 'clientId'>) {
  let publisherHost: string | null = null;
  if (client.kind === 'metadata_document') {
    try {
      publisherHost = new URL(client.clientId).host;
    } catch {
      publisherHost = client.clientId;
    }
  }
  const display: ClientDisplay = {
    name: client.clientName || 'An unnamed application',
    unverified: client.kind === 'dynamic',
    publisherHost,
  };
  return display;
}

@Injectable()
export class AuthorizePages implements OnApplicationBootstrap {
  readonly basePath: string;
  /**
   * Whether the database has an account (the sign-in page says how to create the first one), as
   * last seen: rendering is synchronous, so it is read at start and re-read after each sign-in page
   * while no account was seen (an account, once there, is not looked for again).
   */
  private usersExist: boolean | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
  ) {
    this.basePath = basePathOf(config.publicUrl);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.lookForUsers();
  }

  send(reply: FastifyReply, outcome: AuthorizeOutcome): void {
    switch (outcome.kind) {
      case 'sign_in':
        return this.sendSignIn(reply, outcome);
      case 'consent':
        return sendHtml(reply, 200, consentPage(outcome.view, this.basePath), {
          redirectUri: outcome.redirectUri,
        });
      case 'redirect':
        return sendSeeOther(reply, outcome.location);
    }
  }

  sendError(
    reply: FastifyReply,
    status: number,
    view: ErrorView,
    retryAfterSeconds?: number,
  ): void {
    sendHtml(reply, status, errorPage(view, this.basePath), { retryAfterSeconds });
  }

  private sendSignIn(reply: FastifyReply, outcome: AuthorizeOutcome & { kind: 'sign_in' }): void {
    const view = { ...outcome.view, noUsers: this.usersExist === false };
    if (this.usersExist !== true) void this.lookForUsers();
    sendHtml(reply, outcome.status, signInPage(view, this.basePath), {
      redirectUri: outcome.redirectUri,
      retryAfterSeconds: outcome.retryAfterSeconds,
    });
  }

  /** A failed look (database down) leaves the last answer: the notice is a hint, not a check. */
  private async lookForUsers(): Promise<void> {
    try {
      this.usersExist = await this.users.hasUsers();
    } catch {
      // keep the last answer
    }
  }
}
