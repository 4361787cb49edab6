"""Work done on a schedule, outside any page: mailing the weekly brief."""
