import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Environment variables the service reads. Validated once at start-up. */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  PORT?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  // MCP 2026-07-28 authorization › Communication Security: every authorization server endpoint MUST
  // be served over HTTPS; http only on the loopback host, for development.
  @Matches(
    /^(https:\/\/[^/?#\s]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)(\/[^?#\s]*)?$/,
    {
      message:
        'PUBLIC_URL must be an https URL (http only for localhost, 127.0.0.1 or [::1]) without query or fragment',
    },
  )
  PUBLIC_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// connection URL',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString({ message: 'DATA_DIR must be a folder path' })
  DATA_DIR?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Transform(toBoolean)
  @IsBoolean({ message: 'SEED_DEMO must be true or false' })
  SEED_DEMO?: boolean;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @Matches(/^\S{8,}$/, { message: 'DEMO_PASSWORD must be at least 8 characters without spaces' })
  DEMO_PASSWORD?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\s*https?:\/\/[^/?#\s,]+\s*(,\s*https?:\/\/[^/?#\s,]+\s*)*$/, {
    message:
      'ALLOWED_ORIGINS must be a comma-separated list of origins such as http://localhost:6274 (scheme, host and port only)',
  })
  ALLOWED_ORIGINS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'AUTH_CACHE_TTL_MS must be an integer from 0 to 5000' })
  @Min(0, { message: 'AUTH_CACHE_TTL_MS must be an integer from 0 to 5000' })
  @Max(5000, { message: 'AUTH_CACHE_TTL_MS must be an integer from 0 to 5000' })
  AUTH_CACHE_TTL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'ACCESS_TOKEN_TTL_SECONDS must be an integer from 60 to 86400' })
  @Min(60, { message: 'ACCESS_TOKEN_TTL_SECONDS must be an integer from 60 to 86400' })
  @Max(86400, { message: 'ACCESS_TOKEN_TTL_SECONDS must be an integer from 60 to 86400' })
  ACCESS_TOKEN_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'REFRESH_TOKEN_GRACE_SECONDS must be an integer from 0 to 600' })
  @Min(0, { message: 'REFRESH_TOKEN_GRACE_SECONDS must be an integer from 0 to 600' })
  @Max(600, { message: 'REFRESH_TOKEN_GRACE_SECONDS must be an integer from 0 to 600' })
  REFRESH_TOKEN_GRACE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'REFRESH_TOKEN_IDLE_DAYS must be an integer from 1 to 365' })
  @Min(1, { message: 'REFRESH_TOKEN_IDLE_DAYS must be an integer from 1 to 365' })
  @Max(365, { message: 'REFRESH_TOKEN_IDLE_DAYS must be an integer from 1 to 365' })
  REFRESH_TOKEN_IDLE_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'REFRESH_TOKEN_ABSOLUTE_DAYS must be an integer from 1 to 3650' })
  @Min(1, { message: 'REFRESH_TOKEN_ABSOLUTE_DAYS must be an integer from 1 to 3650' })
  @Max(3650, { message: 'REFRESH_TOKEN_ABSOLUTE_DAYS must be an integer from 1 to 3650' })
  REFRESH_TOKEN_ABSOLUTE_DAYS?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/-----BEGIN (EC )?PRIVATE KEY-----[\s\S]+-----END (EC )?PRIVATE KEY-----/, {
    message: 'OAUTH_SIGNING_KEY must be a PEM-encoded P-256 private key (PKCS#8 or SEC1)',
  })
  OAUTH_SIGNING_KEY?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\S{32,}$/, {
    message: 'SIGNING_KEY_SECRET must be at least 32 characters without spaces',
  })
  SIGNING_KEY_SECRET?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[a-z][a-z0-9+.-]*(,[a-z][a-z0-9+.-]*)*$/, {
    message:
      'REDIRECT_URI_SCHEMES must be a comma-separated list of lower-case URI schemes, e.g. cursor,vscode',
  })
  REDIRECT_URI_SCHEMES?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\S{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters without spaces' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'METRICS_PORT must be an integer between 1 and 65535' })
  @Min(1, { message: 'METRICS_PORT must be an integer between 1 and 65535' })
  @Max(65535, { message: 'METRICS_PORT must be an integer between 1 and 65535' })
  METRICS_PORT?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[a-z_]+=\d+\/\d+[smh](,[a-z_]+=\d+\/\d+[smh])*$/, {
    message:
      'RATE_LIMITS must look like "register=30/1m,token=50/15m" (policy=count/window with s, m or h)',
  })
  RATE_LIMITS?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
    message:
      'TRUST_PROXY must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString({ message: 'QUERY_CONNECTIONS_FILE must be the path of a YAML or JSON file' })
  QUERY_CONNECTIONS_FILE?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];
}

export class ConfigValidationError extends Error {}

/** Validates `process.env`-like input; throws one error naming every bad variable. */
export function validateEnv(config: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, config, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new ConfigValidationError(`Invalid configuration: ${lines.join('; ')}`);
  }
  return env;
}
