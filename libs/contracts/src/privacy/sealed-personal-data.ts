import { IsISO31661Alpha2, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * Customer personal data travels between the services sealed: `pii:v1:<subjectId>:<base64>` — the
 * value encrypted (AES-256-GCM) with the key of its data subject (the customer), kept by the
 * retailer's key vault. Erasing the subject's key makes every copy unreadable at once: in event
 * stores, on topics, in dead letters (crypto-shredding). Only the services that hand the data to
 * someone who needs it in clear (the storefront's order view, the supplier's PO) open it, at the
 * moment of use. A consumer reads such fields as opaque text.
 */
export const SEALED_VALUE_PREFIX = 'pii:v1:';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** The base64 of nonce, tag and ciphertext: at least the 28 bytes of nonce and tag. */
const SEALED_BODY = '[A-Za-z0-9+/]{38,12000}={0,2}';

export const SEALED_VALUE_PATTERN = new RegExp(`^pii:v1:${UUID}:${SEALED_BODY}$`);

/**
 * A personal text field as a consumer accepts it: sealed, or (from a producer that does not seal)
 * clear text within the input's own limit. Code points are counted, as `@MaxLength` counts them.
 */
export function personalTextPattern(maxLength: number): RegExp {
  return new RegExp(`^(?:pii:v1:${UUID}:${SEALED_BODY}|(?!pii:v1:)[\\s\\S]{1,${maxLength}})$`, 'u');
}

const personal = (maxLength: number) => Matches(personalTextPattern(maxLength), { message: `must be at most ${maxLength} characters, or a sealed value (pii:v1:…)` });

/**
 * The ship-to address as it travels between the services (`OrderAccepted`, `ShippingAddressChanged`,
 * `FulfilmentRequested`): the recipient's name, company, street lines and phone are sealed personal
 * data; city, region, postal code and country stay clear — sourcing, promising, carriers and tax
 * route on them, and on their own they do not identify a person.
 */
export class SealableAddressV1 {
  @personal(200)
  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsOptional()
  @personal(200)
  @IsString()
  company?: string;

  @personal(200)
  @IsString()
  @IsNotEmpty()
  line1!: string;

  @IsOptional()
  @personal(200)
  @IsString()
  line2?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;

  @IsISO31661Alpha2({ message: 'must be an ISO 3166-1 alpha-2 country code' })
  country!: string;

  @IsOptional()
  @personal(40)
  @IsString()
  phone?: string;
}

/** The personal fields of an address and of a customer: what is sealed. */
export const PERSONAL_ADDRESS_FIELDS = ['name', 'company', 'line1', 'line2', 'phone'] as const;
export const PERSONAL_CUSTOMER_FIELDS = ['email', 'firstName', 'lastName', 'phone'] as const;
