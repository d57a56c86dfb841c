package co.pqrs.lakehouse.contracts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import co.pqrs.lakehouse.config.LakehouseConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RawContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RawContract contract = RawContract.packaged();

  private static ObjectNode created() throws Exception {
    return (ObjectNode) JSON.readTree("""
        {"schema_version":"1.0","event_id":"0b1f6a53-8e0c-3d6f-9a51-2f1d1c0e5b11",
         "ticket_id":"5d6a3c1e-1c2b-3f4a-8b9c-0d1e2f3a4b5c","event_type":"TICKET_CREATED",
         "ts":"2025-01-02T08:15:00-05:00",
         "data":{"external_id":"WEB-20250102-00001","channel":"webform","pqrs_type":"P",
                 "priority":"media","municipality_code":"11001","subject":"Petición",
                 "text":"Solicito información"}}""");
  }

  private List<String> pointers(JsonNode e) {
    return contract.validate(e).stream().map(RawContract.Violation::pointer).collect(Collectors.toList());
  }

  @Test
  void javaEventTypesEqualTheSchemaEnum() {
    assertThat(Arrays.stream(RawEventType.values()).map(Enum::name).collect(Collectors.toList()),
        equalTo(contract.eventTypes()));
  }

  @Test
  void statusEnumEqualsTheStateMachine() {
    assertThat(List.copyOf(LakehouseConfig.packaged().status().states().keySet()),
        equalTo(contract.statuses()));
  }

  @Test
  void validEventPasses() throws Exception {
    assertThat(contract.validate(created()), empty());
  }

  @Test
  void aPatternBoundValueWithALineTerminatorIsRefusedAndFreeTextMayHoldOne() throws Exception {
    ObjectNode e = created();
    e.put("event_id", e.get("event_id").asText() + "\n");
    ((ObjectNode) e.get("data")).put("municipality_code", "11001\r\n");
    assertThat(pointers(e), contains("/data/municipality_code", "/event_id"));
    assertThat(contract.validate(e).get(1).message(),
        equalTo("\"0b1f6a53-8e0c-3d6f-9a51-2f1d1c0e5b11\\n\" holds a line terminator the pattern does not allow"));
    ObjectNode t = created();
    ((ObjectNode) t.get("data")).put("text", "línea uno\nlínea dos\n");
    assertThat(contract.validate(t), empty());
  }

  @Test
  void wrongEnumNamesTheField() throws Exception {
    ObjectNode e = created();
    ((ObjectNode) e.get("data")).put("priority", "urgente");
    List<RawContract.Violation> v = contract.validate(e);
    assertThat(v, hasSize(1));
    assertThat(v.get(0).pointer(), equalTo("/data/priority"));
  }

  @Test
  void unknownFieldsAreRejectedInEnvelopeAndPayload() throws Exception {
    ObjectNode e = created();
    e.put("source", "x");
    ((ObjectNode) e.get("data")).put("closed_at", "2025-02-01T00:00:00Z");
    List<String> p = pointers(e);
    assertThat(p, hasItem("/"));
    assertThat(p, hasItem("/data"));
  }

  @Test
  void payloadIsTiedToEventType() throws Exception {
    ObjectNode e = created();
    e.put("event_type", "STATUS_CHANGED");
    // a TICKET_CREATED payload under STATUS_CHANGED fails: unknown fields and missing from/to_status
    assertThat(contract.validate(e), not(empty()));
    e.set("data", JSON.readTree("{\"from_status\":\"RECEIVED\",\"to_status\":\"RADICATED\"}"));
    assertThat(contract.validate(e), empty());
    ((ObjectNode) e.get("data")).put("to_status", "DELETED");
    assertThat(pointers(e), contains("/data/to_status"));
  }

  @Test
  void timestampNeedsAnOffsetAndIdsMustBeUuids() throws Exception {
    ObjectNode e = created();
    e.put("ts", "2025-01-02T08:15:00");
    assertThat(pointers(e), contains("/ts"));
    e = created();
    e.put("event_id", "not-a-uuid");
    assertThat(pointers(e), contains("/event_id"));
    e = created();
    e.put("event_type", "TICKET_DELETED");
    assertThat(pointers(e), contains("/event_type"));
  }

  @Test
  void ticketCreatedCarriesNoFutureTime() {
    for (String field : contract.ticketCreatedFields()) {
      assertThat(field, not(org.hamcrest.Matchers.matchesPattern(".*(_at|_ts|time|date|due|closed|answer).*")));
    }
  }
}
