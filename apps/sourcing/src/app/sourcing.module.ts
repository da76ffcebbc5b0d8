import { Module } from '@nestjs/common';

/** Decides which fulfilment node (warehouse or drop-ship supplier) ships which line. */
@Module({})
export class SourcingModule {}
