import { IsISO4217CurrencyCode, IsNotEmpty, IsOptional, IsString, MaxLength, Min, IsInt } from 'class-validator';

/** A payment made to a supplier, or a credit received from one: recorded once per id. */
export class AccountEntryDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  id!: string;

  @Min(1)
  @IsInt()
  amount!: number;

  @IsISO4217CurrencyCode()
  currency!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}
