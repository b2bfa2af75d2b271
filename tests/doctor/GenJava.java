// Wrong hashes made by real Java code (javax.crypto.Mac): String.toLowerCase in a
// Turkish default locale (I -> dotless ı), uppercase hex. Run as
// `java -Duser.language=tr -Duser.country=TR GenJava.java` (Java 17); prints a JSON array of doctor cases that tests/doctor/generate.py
// merges into cases.json.
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class GenJava {
    static final String SECRET = "sk_doctor_3f9a1c7e";
    static final List<String> CASES = new ArrayList<>();

    static byte[] mac(String msg) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return m.doFinal(msg.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string literal (quotes, backslashes and controls escaped). */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static void add(String id, String variant, String madeBy, String preset, String field, String value, String hash) {
        CASES.add("{\"id\":" + q("java/" + id) + ",\"variant\":" + q(variant) + ",\"made_by\":" + q(madeBy)
                + ",\"preset\":" + q(preset) + ",\"secret\":" + q(SECRET) + ",\"input\":{" + q(field) + ":" + q(value)
                + "},\"hash\":" + q(hash) + "}");
    }

    public static void main(String[] args) throws Exception {
        // Run with -Duser.language=tr -Duser.country=TR: a server whose default locale is Turkish.
        if (!Locale.getDefault().getLanguage().equals("tr")) {
            throw new IllegalStateException("run with -Duser.language=tr -Duser.country=TR");
        }
        HexFormat hex = HexFormat.of();
        String email = "DIYARBAKIR@Example.COM";
        for (String preset : new String[] {"layerup", "ensoras", "supportwire"}) {
            add("turkish_lowercase/" + preset, "turkish_lowercase",
                    "Java email.toLowerCase() with the default locale tr-TR",
                    preset, "email", email, hex.formatHex(mac(email.toLowerCase())));
        }
        String userId = "USER_IVAN";
        add("turkish_lowercase/inviaro", "turkish_lowercase", "Java userId.toLowerCase() with the default locale tr-TR",
                "inviaro", "user_id", userId, hex.formatHex(mac(userId.toLowerCase())));
        add("uppercase_hex/helpscout", "uppercase_hex", "Java HexFormat.of().withUpperCase().formatHex(mac.doFinal(email))",
                "helpscout", "email", "alice@example.com", hex.withUpperCase().formatHex(mac("alice@example.com")));
        System.out.print("[" + String.join(",", CASES) + "]");
    }
}
