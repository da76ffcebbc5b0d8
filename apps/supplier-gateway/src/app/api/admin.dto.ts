import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO31661Alpha2, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class AdminAddressDto {
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(200) company?: string;
  @IsString() @IsNotEmpty() @MaxLength(200) line1!: string;
  @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @IsString() @IsNotEmpty() @MaxLength(100) city!: string;
  @IsOptional() @IsString() @MaxLength(100) region?: string;
  @IsOptional() @IsString() @MaxLength(20) postalCode?: string;
  @IsISO31661Alpha2() country!: string;
  @IsOptional() @IsString() @MaxLength(40) phone?: string;
}

export class EdiSettingsDto {
  @IsString() @IsNotEmpty() @MaxLength(15) supplierId!: string;
  @IsString() @Matches(/^[0-9A-Z]{2}$/) supplierQualifier!: string;
  @IsString() @IsNotEmpty() @MaxLength(15) ourId!: string;
  @IsString() @Matches(/^[0-9A-Z]{2}$/) ourQualifier!: string;
}

export class ReturnPolicyDto {
  @Min(0) @Max(365) @IsInt() windowDays!: number;
  @IsBoolean() acceptsReturns!: boolean;
  @IsOptional() @Min(0) @Max(100) @IsNumber() restockingFeePercent?: number;
}

export class ChargebacksDto {
  @IsOptional() @Min(0) @IsInt() lateShipment?: number;
  @IsOptional() @Min(0) @IsInt() invalidTracking?: number;
  @IsOptional() @Min(0) @IsInt() cancelledAfterAcceptance?: number;
}

/** Every setting, optional: PATCH sends what changes; registration checks the required ones. */
export class SupplierSettingsDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @IsOptional() @Matches(/^[A-Za-z0-9]{1,6}$/, { message: 'must be 1-6 letters or digits' }) code?: string;
  @IsOptional() @IsIn(['api', 'webhook', 'edi']) connector?: 'api' | 'webhook' | 'edi';
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) webhookUrl?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EdiSettingsDto) edi?: EdiSettingsDto;
  @IsOptional() @Min(1) @Max(24 * 30) @IsNumber() confirmWithinHours?: number;
  @IsOptional() @Min(1) @Max(24 * 60) @IsNumber() shipWithinHours?: number;
  @IsOptional() @IsBoolean() enforceShipBy?: boolean;
  @IsOptional() @IsIn(['resource', 'cancel']) timeoutPolicy?: 'resource' | 'cancel';
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AdminAddressDto) returnAddress?: AdminAddressDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ReturnPolicyDto) returnPolicy?: ReturnPolicyDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ChargebacksDto) chargebacks?: ChargebacksDto;
  @IsOptional() @IsIn(['active', 'suspended']) status?: 'active' | 'suspended';
}

export class RegisterSupplierDto extends SupplierSettingsDto {
  @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { message: 'must be 1-63 letters, digits, dots, dashes or underscores' }) supplierId!: string;
}
