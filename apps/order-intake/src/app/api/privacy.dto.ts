import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Why the data is erased (for the record; no personal data here). */
export class ErasureDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** The customer as the storefront knows them: its customer id, or a guest's email. */
export class CustomerErasureDto extends ErasureDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  channel!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  customerId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;
}
