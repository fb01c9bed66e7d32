package org.peiyu.platform.pii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects ID-card and phone numbers (PIPL): AES-256-GCM at rest, an HMAC-SHA256 keyed hash to find and
 * de-duplicate them without decrypting, and the masked forms shown to everyone without the right to see more.
 */
public final class PersonalData {

    private static final int IV_BYTES = 12;
    private final SecretKey encryptionKey;
    private final SecretKey hashKey;
    private final SecureRandom random = new SecureRandom();

    /** @param masterKey 32 bytes; the encryption and hash keys are derived from it so one secret is configured. */
    public PersonalData(byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("peiyu.pii.key must be 32 bytes (base64)");
        }
        this.encryptionKey = new SecretKeySpec(derive(masterKey, "peiyu-pii-encrypt"), "AES");
        this.hashKey = new SecretKeySpec(derive(masterKey, "peiyu-pii-hash"), "HmacSHA256");
    }

    public byte[] encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(128, iv));
            byte[] body = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(iv, IV_BYTES + body.length);
            System.arraycopy(body, 0, out, IV_BYTES, body.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String decrypt(byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(128, sealed, 0, IV_BYTES));
            return new String(c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Personal data cannot be decrypted with the configured key", e);
        }
    }

    /** Keyed hash of the normalised value: equal values give equal hashes, and it cannot be reversed by a dictionary. */
    public byte[] hash(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            return mac.doFinal(plain.toUpperCase().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 110105199001011234 → 110***********1234 */
    public static String maskIdCard(String id) {
        if (id == null || id.length() < 8) {
            return id == null ? null : "*".repeat(id.length());
        }
        return id.substring(0, 3) + "*".repeat(id.length() - 7) + id.substring(id.length() - 4);
    }

    /** 13812345678 → 138****5678 */
    public static String maskPhone(String phone) {
        if (phone == null || phone.length() < 7) {
            return phone == null ? null : "*".repeat(phone.length());
        }
        return phone.substring(0, 3) + "*".repeat(phone.length() - 7) + phone.substring(phone.length() - 4);
    }

    private static byte[] derive(byte[] master, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
