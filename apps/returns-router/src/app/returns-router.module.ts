import { Module } from '@nestjs/common';
import { ReturnsController } from './api/returns.controller';
import { ReturnNodes } from './application/return-nodes';
import { ReturnsApplication } from './application/returns-application';
import { ReturnsInputsHandler } from './messaging/returns-inputs.handler';

/** Sends each returned item to the right place and approves the right refund. */
@Module({
  controllers: [ReturnsController, ReturnsInputsHandler],
  providers: [ReturnNodes, ReturnsApplication],
})
export class ReturnsRouterModule {}
