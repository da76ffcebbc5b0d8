import { BadRequestException, Body, Controller, Get, Headers, HttpStatus, NotFoundException, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ReturnReceiptV1, ReturnRequestV1 } from '@oms/contracts';
import { randomUUID } from 'node:crypto';
import { ReturnsApplication } from '../application/returns-application';
import { ReturnError } from '../domain/return';
import { toReturnRequest } from '../messaging/to-return-request';
import { readBody } from '@oms/platform';



/** Returns over HTTP: the same request as `commerce.returns.v1`, answered with the customer's instructions. */
@Controller('returns')
export class ReturnsController {
  constructor(private readonly returns: ReturnsApplication) {}

  /** 201 routed (with where to send each part), 422 refused with every reason, 400 unreadable. */
  @Post()
  async request(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: { status(code: number): unknown }) {
    const request = toReturnRequest(readBody(ReturnRequestV1, body));
    // The key is the caller's per request; scoped by the return, a key reused for another return
    // cannot make that one look handled.
    const outcome = await this.returns.request(request, { causationId: key ? `${request.returnId}:${key.slice(0, 200)}` : randomUUID() });
    res.status(outcome.kind === 'routed' ? HttpStatus.CREATED : HttpStatus.UNPROCESSABLE_ENTITY);
    const found = await this.returns.get(outcome.returnId);
    return { returnId: outcome.returnId, status: outcome.kind, events: found?.events.map((e) => ({ type: e.type, data: e.data })) ?? [] };
  }

  @Get(':returnId')
  async get(@Param('returnId', new ParseUUIDPipe()) returnId: string) {
    const found = await this.returns.get(returnId);
    if (!found) throw new NotFoundException({ message: `No return ${returnId}` });
    return { returnId, state: found.state, history: found.events.map((e) => ({ revision: e.revision, type: e.type, recordedAt: e.recordedAt.toISOString(), data: e.data })) };
  }

  /** A warehouse or supplier reports what it received of a part, and in what condition. */
  @Post(':returnId/parts/:partId/receipts')
  async receipt(@Param('returnId', new ParseUUIDPipe()) returnId: string, @Param('partId') partId: string, @Body() body: unknown) {
    const receipt = readBody(ReturnReceiptV1, body);
    try {
      const state = await this.returns.receive(returnId, { partId, receiptId: receipt.receiptId, lines: receipt.lines }, { causationId: `receipt:${returnId}:${partId}:${receipt.receiptId}` });
      return { returnId, state };
    } catch (error) {
      if (error instanceof ReturnError) throw new BadRequestException({ message: error.message });
      throw error;
    }
  }
}
