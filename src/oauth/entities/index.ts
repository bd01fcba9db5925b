export * from 'src/oauth/entities/oauth-client.entity';
export * from 'src/oauth/entities/auth-session.entity';
export * from 'src/oauth/entities/oauth-interaction.entity';
export * from 'src/oauth/entities/oauth-grant.entity';
export * from 'src/oauth/entities/oauth-token.entity';
