import { Module } from '@nestjs/common';

/** Routes each returned line to the supplier, a warehouse or a returnless refund. */
@Module({})
export class ReturnsRouterModule {}
