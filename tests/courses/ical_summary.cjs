// Reads an iCalendar object on standard input with ical.js (an independent parser) and prints what the
// calendar tests check, as JSON. Times are resolved with the VTIMEZONEs in the object itself, registered
// here, so a wrong VTIMEZONE gives wrong UTC times.
const fs = require("fs");
const ICAL = require("ical.js");

const root = new ICAL.Component(ICAL.parse(fs.readFileSync(0, "utf8")));
const zones = root.getAllSubcomponents("vtimezone");
for (const zone of zones) ICAL.TimezoneService.register(zone);

function time(event, name) {
  const property = event.getFirstProperty(name);
  const value = property.getFirstValue();
  const tzid = property.getParameter("tzid") || null;
  if (tzid) value.zone = ICAL.TimezoneService.get(tzid) || null;
  return { tzid, local: value.toString(), utc: value.zone ? value.toUnixTime() : null };
}

function address(property) {
  const params = {};
  for (const [key, value] of Object.entries(property.toJSON()[1])) params[key.toUpperCase()] = value;
  return { value: property.getFirstValue(), params };
}

const out = {
  name: root.name,
  method: root.getFirstPropertyValue("method"),
  prodid: root.getFirstPropertyValue("prodid"),
  version: root.getFirstPropertyValue("version"),
  timezones: zones.map((zone) => zone.getFirstPropertyValue("tzid")),
  events: root.getAllSubcomponents("vevent").map((event) => ({
    uid: event.getFirstPropertyValue("uid"),
    sequence: event.getFirstPropertyValue("sequence"),
    status: event.getFirstPropertyValue("status"),
    summary: event.getFirstPropertyValue("summary"),
    location: event.getFirstPropertyValue("location"),
    description: event.getFirstPropertyValue("description"),
    url: event.getFirstPropertyValue("url"),
    dtstamp: event.getFirstPropertyValue("dtstamp") ? event.getFirstPropertyValue("dtstamp").toString() : null,
    start: time(event, "dtstart"),
    end: time(event, "dtend"),
    organizer: event.getFirstProperty("organizer") ? address(event.getFirstProperty("organizer")) : null,
    attendees: event.getAllProperties("attendee").map(address),
  })),
};
process.stdout.write(JSON.stringify(out));
