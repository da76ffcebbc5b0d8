export * from './wait-for';
export * from './infrastructure';
export * from './service-env';
export * from './order-accepted';
