import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { bearerTokenGuard, readBody } from '@oms/platform';
import { CustomerPrivacy } from '../application/customer-privacy';
import type { OrderIntakeEnv } from '../order-intake.env';
import { CustomerErasureDto, ErasureDto } from './privacy.dto';

/** `Authorization: Bearer <PRIVACY_ADMIN_TOKEN>`; with no token configured, nobody may erase. */
export const PrivacyTokenGuard = bearerTokenGuard<OrderIntakeEnv>((env) => env.PRIVACY_ADMIN_TOKEN, 'Privacy admin');

/**
 * Erasing a customer's personal data on request (crypto-shredding). The orders stay — their lines,
 * money and statuses — with the customer's name, contact and street unreadable everywhere.
 */
@Controller('privacy')
@UseGuards(PrivacyTokenGuard)
export class PrivacyController {
  constructor(private readonly privacy: CustomerPrivacy) {}

  @Post('subjects/:subjectId/erase')
  @HttpCode(200)
  eraseSubject(@Param('subjectId', new ParseUUIDPipe()) subjectId: string, @Body() body: unknown) {
    return this.privacy.erase(subjectId, readBody(ErasureDto, body ?? {}).reason);
  }

  @Post('customers/erase')
  @HttpCode(200)
  eraseCustomer(@Body() body: unknown) {
    const request = readBody(CustomerErasureDto, body);
    if (!request.customerId && !request.email) throw new BadRequestException({ message: 'Invalid request', errors: [{ field: 'customerId', message: 'give customerId or email' }] });
    const subjectId = this.privacy.subjectOfCustomer(request.channel, { ...(request.customerId ? { id: request.customerId } : {}), ...(request.email ? { email: request.email } : {}) });
    return this.privacy.erase(subjectId, request.reason);
  }

  @Get('subjects/:subjectId')
  async subject(@Param('subjectId', new ParseUUIDPipe()) subjectId: string) {
    return { subjectId, status: await this.privacy.status(subjectId) };
  }

  /** Whose personal data an order carries, and whether it can still be read. */
  @Get('orders/:orderId')
  async order(@Param('orderId', new ParseUUIDPipe()) orderId: string) {
    const subjectId = await this.privacy.subjectOfOrder(orderId);
    if (!subjectId) throw new NotFoundException({ message: `No order ${orderId}` });
    return { orderId, subjectId, status: await this.privacy.status(subjectId) };
  }
}
