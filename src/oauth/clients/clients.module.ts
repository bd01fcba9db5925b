import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientService } from 'src/oauth/clients/client.service';
import { OAuthClient } from 'src/oauth/entities';

/** Client registration (RFC 7591), Client ID Metadata Documents and client lookup. */
@Module({
  imports: [TypeOrmModule.forFeature([OAuthClient])],
  controllers: [],
  providers: [ClientService],
  exports: [ClientService],
})
export class ClientsModule {}
