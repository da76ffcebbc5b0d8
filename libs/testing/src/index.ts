export * from './wait-for';
export * from './infrastructure';
