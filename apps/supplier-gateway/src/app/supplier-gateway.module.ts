import { Module } from '@nestjs/common';

/** Purchase orders to drop-ship suppliers, their answers, deadlines and time-outs. */
@Module({})
export class SupplierGatewayModule {}
