package org.lakecdp.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.testing.SparkTestSession;

/** Bad privacy requests and a changed salt fail with a one-line cause naming what is wrong. */
@ExtendWith(SparkTestSession.class)
class PrivacyRequestTest {
  @TempDir
  Path dir;

  @Test
  void badRequestFieldsAreNamed() {
    assertThatThrownBy(() -> PrivacyRequest.of("queue.csv line 2", "r1", "forget", "email",
        "a@b.com", "q")).isInstanceOf(CdpException.class).hasMessage(
        "queue.csv line 2: type must be one of [erase, access]: 'forget'");
    assertThatThrownBy(() -> PrivacyRequest.of("queue.csv line 3", "r2", "erase", "name",
        "Ann", "q")).hasMessage("queue.csv line 3: privacy request identifier must be one of"
        + " [email, phone, customer_id, source_key]: 'name'");
    assertThatThrownBy(() -> PrivacyRequest.of("queue.csv line 4", " ", "erase", "email",
        "a@b.com", "q")).hasMessage("queue.csv line 4: request_id is empty");
    assertThatThrownBy(() -> PrivacyRequest.of("queue.csv line 5", "r3", "erase", "email",
        " ", "q")).hasMessage("queue.csv line 5: privacy request: the email is empty");
    assertThatThrownBy(() -> Identifier.of("source_key", "no-colon")).hasMessage(
        "privacy request: source_key must be SOURCE:KEY, got 'no-colon'");
    assertThatThrownBy(() -> Identifier.of("phone", "not a phone").standardised("GB"))
        .hasMessage("privacy request: phone 'not a phone' is not a valid phone");
    assertThat(PrivacyRequest.of("x", "r4", "ACCESS", "customer-id", " cus_1 ", "q"))
        .isEqualTo(new PrivacyRequest("r4", PrivacyRequest.Type.ACCESS,
            new Identifier(Identifier.Kind.CUSTOMER_ID, "cus_1"), "q"));
  }

  @Test
  void queueFilesAreReadAndABadHeaderNamesTheFile() throws Exception {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    Path queue = Files.createDirectories(dir.resolve("queue"));
    assertThat(PrivacyRequest.readQueue(lake.spark(), queue.resolve("none").toString()))
        .isEmpty();
    Files.writeString(queue.resolve("a.csv"), "request_id,type,identifier,value\n"
        + "r1,erase,email,ann@example.com\nr2,access,source_key,crm:C-1\n");
    assertThat(PrivacyRequest.readQueue(lake.spark(), queue.toString()))
        .extracting(PrivacyRequest::requestId).containsExactly("r1", "r2");
    Files.writeString(queue.resolve("b.csv"), "id,kind,value\nr3,erase,ann@example.com\n");
    assertThatThrownBy(() -> PrivacyRequest.readQueue(lake.spark(), queue.toString()))
        .isInstanceOf(CdpException.class).hasMessageContaining("b.csv: the header must name"
            + " [request_id, type, identifier, value], it has [id, kind, value]");
  }

  @Test
  void entriesMadeWithAnotherSaltFailLoudly() {
    Path root = dir.resolve("salted");
    CdpSettings first = SparkTestSession.settings(root, "cdp.privacy.salt",
        "the-first-salt-0123456789");
    Lakehouse lake = SparkTestSession.lakehouse(first);
    Suppression suppression = new Suppression(lake, first);
    lake.append(CdpTable.OPS_SUPPRESSION_LIST, suppression.rows(List.of(
        new Suppression.Entry("email", "ann@example.com")), "r1",
        Timestamp.from(Instant.now())), "test");
    assertThat(suppression.active()).isTrue();

    CdpSettings second = SparkTestSession.settings(root, "cdp.privacy.salt",
        "another-salt-9876543210");
    assertThatThrownBy(() -> new Suppression(lake, second).active())
        .isInstanceOf(CdpException.class)
        .hasMessageContaining("holds hashes made with another cdp.privacy.salt");
    CdpSettings none = SparkTestSession.settings(root);
    assertThatThrownBy(() -> new Suppression(lake, none).active())
        .hasMessageStartingWith("cdp.privacy.salt is not set");
  }
}
