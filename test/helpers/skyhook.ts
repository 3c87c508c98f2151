// The SkyHOOK webhook receiver and latency figures live beside the benchmark that uses them too.
export * from '../../bench/skyhook';
