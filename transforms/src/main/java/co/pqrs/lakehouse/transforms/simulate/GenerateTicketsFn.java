package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.metrics.StepCounters;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Simulates every ticket created on a day; each event goes to the day on which it happens. */
class GenerateTicketsFn extends DoFn<DayPlan, KV<String, EventLine>> {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateTicketsFn.class);
  private final TicketSimulator simulator;

  GenerateTicketsFn(TicketSimulator simulator) {
    this.simulator = simulator;
  }

  @ProcessElement
  public void process(@Element DayPlan day, OutputReceiver<KV<String, EventLine>> out) {
    long n = 0;
    for (int i = 0; i < day.tickets(); i++) {
      for (SimEvent e : simulator.ticket(day, i)) {
        String eventDay = BusinessCalendar.colombia().localDate(e.ts()).toString();
        String defect = e.defect() == null ? "" : e.defect().key();
        out.output(KV.of(eventDay,
            new EventLine(e.ts().getEpochSecond(), e.eventId(), e.render(), e.eventType(), defect)));
        n++;
        if (e.defect() != null) {
          StepCounters.DEFECTS_INJECTED.inc();
        }
      }
    }
    StepCounters.TICKETS_SIMULATED.inc(day.tickets());
    LOG.info("simulated {}: {} tickets{}, {} events", day.day(), day.tickets(), day.spike() ? " (spike)" : "", n);
  }
}
