import { BaseRpcContext } from '@nestjs/microservices';
import type { InboundMessage } from './envelope';

/** `@Ctx()` of every message handler, whichever transport delivered the message. */
export class MessageContext extends BaseRpcContext<[InboundMessage]> {
  getMessage(): InboundMessage {
    return this.args[0];
  }
  getTopic(): string {
    return this.args[0].topic;
  }
}
