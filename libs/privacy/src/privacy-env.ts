import { ServiceEnv } from '@oms/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';

export type KeyVaultKind = 'postgres' | 'embedded' | 'memory';

/** The vault in use: as configured, else the one that goes with the event store. */
export function keyVaultKind(env: PrivacyEnv): KeyVaultKind {
  return env.PRIVACY_VAULT ?? (env.EVENT_STORE === 'embedded' ? 'embedded' : 'postgres');
}

/** Settings of a service that seals or opens customer personal data (order intake, the supplier gateway). */
export class PrivacyEnv extends ServiceEnv {
  /**
   * Where the data subjects' keys live: `postgres` (its own schema in PRIVACY_VAULT_URL, else
   * DATABASE_URL; default unless EVENT_STORE=embedded), `embedded` (a file under PRIVACY_VAULT_DIR)
   * or `memory` (this process only). Every service of one deployment must use the same vault.
   */
  @IsOptional()
  @IsIn(['postgres', 'embedded', 'memory'])
  PRIVACY_VAULT?: KeyVaultKind;

  @ValidateIf((env: PrivacyEnv) => keyVaultKind(env) === 'postgres' && (env.PRIVACY_VAULT_URL !== undefined || !env.DATABASE_URL))
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection string' })
  @IsNotEmpty({ message: 'is required for the postgres key vault when DATABASE_URL is not set' })
  PRIVACY_VAULT_URL?: string;

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  PRIVACY_VAULT_SCHEMA = 'privacy';

  /** The embedded vault's folder; default `<DATA_DIR>/privacy`. */
  @IsOptional()
  @IsString()
  PRIVACY_VAULT_DIR?: string;
}
