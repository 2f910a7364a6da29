package io.github.portsecret;

/** How an HTTP webhook was signed ({@code PortSecretDelivery} in C). */
public enum Delivery {
  /** Port's own webhook: HMAC over the raw body bytes (the default). */
  PORT(0),
  /** A webhook forwarded by port-agent: HMAC over Python's compact JSON of the parsed body. */
  AGENT(1);

  final int abi;

  Delivery(int abi) {
    this.abi = abi;
  }
}
