import { Module } from '@nestjs/common';

/** Turns upstream orders into order streams and keeps one coherent customer view of each order. */
@Module({})
export class OrderIntakeModule {}
