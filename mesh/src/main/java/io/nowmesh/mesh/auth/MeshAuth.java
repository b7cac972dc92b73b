package io.nowmesh.mesh.auth;

import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and checks the AUTH trailer: tag = first 8 bytes of HMAC-SHA256(mesh key, the frame up to the
 * tag with the hops byte zeroed). The hops byte is left out so re-airing gateways need not re-sign;
 * the counter is covered, so it cannot be changed to dodge the replay window. Thread-safe.
 */
public final class MeshAuth {
  private final SecretKeySpec key;

  public MeshAuth(MeshKey key) {
    this.key = new SecretKeySpec(key.toBytes(), "HmacSHA256");
  }

  /** {@code e} with an AUTH trailer for {@code counter} (unsigned 32-bit). */
  public Envelope seal(Envelope e, long counter) {
    Envelope withCounter = e.withAuth(counter, new byte[EnvelopeCodec.TAG_LEN]);
    return e.withAuth(counter, tag(EnvelopeCodec.signedPart(withCounter)));
  }

  /** True if {@code e} carries an AUTH trailer whose tag this key produced (constant-time compare). */
  public boolean verify(Envelope e) {
    return e.authenticated() && MessageDigest.isEqual(e.authTag(), tag(EnvelopeCodec.signedPart(e)));
  }

  private byte[] tag(byte[] signed) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Arrays.copyOf(mac.doFinal(signed), EnvelopeCodec.TAG_LEN);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }

  @Override
  public String toString() {
    return "MeshAuth[key redacted]";
  }
}
