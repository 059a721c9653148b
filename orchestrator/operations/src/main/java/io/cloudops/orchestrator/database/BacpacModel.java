package io.cloudops.orchestrator.database;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the table list of a bacpac or dacpac (a zip whose {@code model.xml} declares every schema
 * object as {@code <Element Type="SqlTable" Name="[dbo].[Orders]">}). A restore is verified by
 * comparing the tables the backup declares with the tables the target database has.
 */
final class BacpacModel {

    private static final Pattern TABLE = Pattern.compile("<Element\\s+Type=\"SqlTable\"\\s+Name=\"([^\"]+)\"");
    private static final long MAX_MODEL_BYTES = 256L * 1024 * 1024;

    private BacpacModel() {
    }

    /** The tables declared by the package's {@code model.xml}, e.g. {@code [dbo].[Orders]}. */
    static Set<String> tables(InputStream packageZip) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(packageZip)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.getName().equals("model.xml")) {
                    byte[] model = zip.readNBytes((int) Math.min(MAX_MODEL_BYTES, Integer.MAX_VALUE - 8));
                    Set<String> tables = new TreeSet<>();
                    Matcher m = TABLE.matcher(new String(model, StandardCharsets.UTF_8));
                    while (m.find()) {
                        tables.add(m.group(1));
                    }
                    return tables;
                }
            }
        }
        throw new IOException("the package has no model.xml: not a bacpac or dacpac");
    }
}
