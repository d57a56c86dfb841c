package co.pqrs.lakehouse.transforms.simulate;

import java.io.Serializable;
import java.time.LocalDate;

/** One simulated day: how many tickets are created on it, and the seed its tickets derive from. */
public record DayPlan(LocalDate day, int tickets, boolean spike, boolean holiday, long seed)
    implements Serializable {}
