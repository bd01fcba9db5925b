import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import { PublishedJwk } from 'src/oauth/tokens/signing-key.crypto';
import { SigningKeyService } from 'src/oauth/tokens/signing-key.service';

/** The public signing keys, from memory (answers while the database is down). */
@ApiTags('discovery')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeyService) {}

  @Get('jwks.json')
  @Public()
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'JSON Web Key Set: the ES256 keys access tokens are signed with' })
  @ApiOkResponse({ description: 'Public keys only' })
  jwks(): { keys: PublishedJwk[] } {
    return this.keys.jwks();
  }
}
