package io.github.portsecret;

/**
 * An RSA key pair for {@code client-side} inputs, from {@link PortSecret#generateKeyPair(int)}.
 *
 * @param privateKeyPem the PKCS#8 private key ({@code BEGIN PRIVATE KEY}): secret, keep it out of
 *     logs
 * @param publicKeyPem the SPKI public key ({@code BEGIN PUBLIC KEY}) to put in the action's
 *     {@code encryption.key}
 */
public record KeyPair(String privateKeyPem, String publicKeyPem) {
  /** Names the public key only. */
  @Override
  public String toString() {
    return "KeyPair[privateKeyPem=<redacted>, publicKeyPem=" + publicKeyPem.length() + " chars]";
  }
}
