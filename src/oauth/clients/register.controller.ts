import { Body, Controller, Header, HttpCode, Ip, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import {
  ClientRegistrationResponse,
  ClientRegistrationService,
} from 'src/oauth/clients/client-registration.service';
import { OAuthExceptionFilter } from 'src/oauth/oauth-exception.filter';
import { RateLimit } from 'src/rate-limit/rate-limit.decorator';

/**
 * `POST /register`: open dynamic client registration (RFC 7591). Content type, size and JSON shape
 * are checked by the route's Fastify hooks (register-request.hook.ts) before this runs. Rate-limited
 * per IP (30 a minute by default: Claude registers on every connect).
 */
@ApiTags('oauth')
@Controller('register')
@UseFilters(OAuthExceptionFilter)
export class RegisterController {
  constructor(private readonly registration: ClientRegistrationService) {}

  @Post()
  @Public()
  @RateLimit('register')
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Dynamic client registration (RFC 7591)' })
  @ApiCreatedResponse({ description: 'The registered metadata; client_secret only here, once' })
  @ApiBadRequestResponse({
    description: 'invalid_redirect_uri, invalid_client_metadata or invalid_request',
  })
  @ApiPayloadTooLargeResponse({ description: 'Body over 64 KiB' })
  register(@Body() body: unknown, @Ip() ip: string): Promise<ClientRegistrationResponse> {
    return this.registration.register(body, { ip: ip || null });
  }
}
