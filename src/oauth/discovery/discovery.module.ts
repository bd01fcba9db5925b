import { Module } from '@nestjs/common';

/** Discovery documents: authorization-server metadata and protected-resource metadata. */
@Module({})
export class DiscoveryDocumentsModule {}
