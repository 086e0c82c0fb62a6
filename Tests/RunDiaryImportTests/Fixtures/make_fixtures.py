"""Writes the import tests' fixtures with independent tools, into the folder given as the only argument.

FIT files come from PyPI's fit-tool, GPX from gpxpy, TCX is written as plain XML text (python-tcxparser only
reads), the Strava export with Python's csv, gzip and zipfile. Nothing here shares code with RunDiaryImport.

  treadmill.fit   running / treadmill (sub_sport 1), no positions, per-leg cadence with a fractional part,
                  developer fields on its records, no local_timestamp (so UTC)
  outdoor.fit     running / generic with positions, local_timestamp 4 h behind UTC, big-endian session message,
                  moving time, step length
  cycling.fit     a ride: skipped
  run.tcx         running, two laps, RunCadence per leg, heart rate, positions, altitude
  run.gpx         one track, hr and cad in Garmin's TrackPointExtension, rising elevation
  strava.zip      activities.csv + a gzipped FIT, a GPX, a ride, a manual run and a virtual run
"""

import csv
import datetime as dt
import gzip
import io
import sys
import zipfile
from xml.etree import ElementTree
from pathlib import Path

import gpxpy.gpx
from fit_tool.base_type import BaseType
from fit_tool.developer_field import DeveloperField
from fit_tool.endian import Endian
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

OUT = Path(sys.argv[1])
OUT.mkdir(parents=True, exist_ok=True)


def millis(moment):
    return round(moment.timestamp() * 1000)


def fit(path, *, serial, start, sport, sub_sport, elapsed, timer, distance, hr, cadence, fraction,
        positions, local_offset=None, moving=None, step_length=None, ascent=None, developer=False,
        big_endian_session=False):
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = 3113
    file_id.serial_number = serial
    file_id.time_created = millis(start)
    builder.add(file_id)

    dev_field = None
    if developer:
        data_id = DeveloperDataIdMessage()
        data_id.developer_data_index = 0
        data_id.application_id = bytes(range(16))
        builder.add(data_id)
        description = FieldDescriptionMessage()
        description.developer_data_index = 0
        description.field_definition_number = 0
        description.fit_base_type_id = BaseType.UINT16.value
        description.field_name = 'running_power_estimate'
        description.units = 'watts'
        builder.add(description)

    points = 12
    for index in range(points):
        record = RecordMessage()
        if developer:
            dev_field = DeveloperField(developer_data_index=0, field_id=0, size=2, base_type=BaseType.UINT16,
                                       name='running_power_estimate', units='watts')
            dev_field.set_value(0, 250 + index)
            record = RecordMessage(developer_fields=[dev_field])
        record.timestamp = millis(start + dt.timedelta(seconds=elapsed * index / (points - 1)))
        record.distance = distance * index / (points - 1)
        record.heart_rate = hr[0] - 5 + index
        if positions:
            record.position_lat = 52.5200 + index * 0.0004
            record.position_long = 13.4050 + index * 0.0004
        builder.add(record)

    end = start + dt.timedelta(seconds=elapsed)
    session = SessionMessage(endian=Endian.BIG) if big_endian_session else SessionMessage()
    session.timestamp = millis(end)
    session.start_time = millis(start)
    session.sport = sport
    session.sub_sport = sub_sport
    session.total_elapsed_time = elapsed
    session.total_timer_time = timer
    session.total_distance = distance
    session.avg_heart_rate = hr[0]
    session.max_heart_rate = hr[1]
    session.avg_cadence = cadence
    session.avg_fractional_cadence = fraction
    if moving is not None:
        session.total_moving_time = moving
    if step_length is not None:
        session.avg_step_length = step_length
    if ascent is not None:
        session.total_ascent = ascent
    builder.add(session)

    activity = ActivityMessage()
    activity.timestamp = millis(end)
    activity.total_timer_time = timer
    activity.num_sessions = 1
    if local_offset is not None:
        # local_timestamp is a local_date_time, which fit-tool writes as given: FIT seconds (from 1989-12-31) of
        # the wall clock.
        activity.local_timestamp = round((end + local_offset).timestamp()) - 631065600
    builder.add(activity)
    data = builder.build().to_bytes()
    (OUT / path).write_bytes(data)
    return data


treadmill = fit('treadmill.fit', serial=3912345678, start=dt.datetime(2026, 2, 3, 18, 5, 0, tzinfo=dt.timezone.utc),
                sport=Sport.RUNNING, sub_sport=SubSport.TREADMILL, elapsed=1805.5, timer=1790.0, distance=5012.34,
                hr=(142, 171), cadence=86, fraction=0.5, positions=False, developer=True)
outdoor = fit('outdoor.fit', serial=3912345678, start=dt.datetime(2026, 2, 7, 11, 30, 0, tzinfo=dt.timezone.utc),
              sport=Sport.RUNNING, sub_sport=SubSport.GENERIC, elapsed=3725.0, timer=3650.0, distance=10234.56,
              hr=(151, 182), cadence=84, fraction=0.25, positions=True, local_offset=dt.timedelta(hours=-4),
              moving=3600.0, step_length=1187.3, ascent=87, big_endian_session=True)
fit('cycling.fit', serial=3912345678, start=dt.datetime(2026, 2, 8, 9, 0, 0, tzinfo=dt.timezone.utc),
    sport=Sport.CYCLING, sub_sport=SubSport.ROAD, elapsed=5400.0, timer=5300.0, distance=40000.0,
    hr=(128, 160), cadence=85, fraction=0.0, positions=True)
strava_fit = fit('strava-fit-source.fit', serial=1234567, start=dt.datetime(2026, 1, 10, 7, 0, 0, tzinfo=dt.timezone.utc),
                 sport=Sport.RUNNING, sub_sport=SubSport.STREET, elapsed=2410.0, timer=2400.0, distance=6003.5,
                 hr=(139, 165), cadence=85, fraction=0.75, positions=True, local_offset=dt.timedelta(hours=1))


def tcx_text():
    start = dt.datetime(2026, 3, 1, 6, 45, 0, tzinfo=dt.timezone.utc)
    laps = []
    distance = 0.0
    altitude = 31.0
    for lap_index, (seconds, meters, lap_cadence) in enumerate([(600, 1650.0, 87), (620, 1700.0, 88)]):
        lap_start = start + dt.timedelta(seconds=sum(s for s, _, _ in [(600, 0, 0), (620, 0, 0)][:lap_index]))
        points = []
        for step in range(6):
            moment = lap_start + dt.timedelta(seconds=seconds * step / 5)
            here = distance + meters * step / 5
            altitude += 1.5 if step % 2 == 0 else -0.5
            points.append(f"""
          <Trackpoint>
            <Time>{moment.strftime('%Y-%m-%dT%H:%M:%SZ')}</Time>
            <Position><LatitudeDegrees>{48.137 + here / 100000:.6f}</LatitudeDegrees><LongitudeDegrees>11.575</LongitudeDegrees></Position>
            <AltitudeMeters>{altitude:.1f}</AltitudeMeters>
            <DistanceMeters>{here:.1f}</DistanceMeters>
            <HeartRateBpm><Value>{140 + lap_index * 6 + step}</Value></HeartRateBpm>
            <Extensions><ns3:TPX><ns3:RunCadence>{lap_cadence - 2 + step % 3}</ns3:RunCadence></ns3:TPX></Extensions>
          </Trackpoint>""")
        distance += meters
        laps.append(f"""
      <Lap StartTime="{lap_start.strftime('%Y-%m-%dT%H:%M:%SZ')}">
        <TotalTimeSeconds>{seconds}.0</TotalTimeSeconds>
        <DistanceMeters>{meters}</DistanceMeters>
        <AverageHeartRateBpm><Value>{142 + lap_index * 6}</Value></AverageHeartRateBpm>
        <MaximumHeartRateBpm><Value>{146 + lap_index * 6}</Value></MaximumHeartRateBpm>
        <Intensity>Active</Intensity>
        <TriggerMethod>Manual</TriggerMethod>
        <Track>{''.join(points)}
        </Track>
        <Extensions><ns3:LX><ns3:AvgRunCadence>{lap_cadence}</ns3:AvgRunCadence></ns3:LX></Extensions>
      </Lap>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
    xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
  <Activities>
    <Activity Sport="Running">
      <Id>{start.strftime('%Y-%m-%dT%H:%M:%SZ')}</Id>{''.join(laps)}
    </Activity>
  </Activities>
</TrainingCenterDatabase>
"""


(OUT / 'run.tcx').write_text(tcx_text())


def gpx_text(name, start, points, *, with_extensions=True):
    gpx = gpxpy.gpx.GPX()
    gpx.nsmap['gpxtpx'] = 'http://www.garmin.com/xmlschemas/TrackPointExtension/v1'
    track = gpxpy.gpx.GPXTrack(name=name)
    track.type = 'running'
    gpx.tracks.append(track)
    segment = gpxpy.gpx.GPXTrackSegment()
    track.segments.append(segment)
    for index in range(points):
        point = gpxpy.gpx.GPXTrackPoint(
            latitude=47.3769 + index * 0.00045, longitude=8.5417 + index * 0.0002,
            elevation=408.0 + min(index, 20) * 0.8, time=start + dt.timedelta(seconds=index * 10))
        if with_extensions:
            extension = ElementTree.fromstring(
                '<gpxtpx:TrackPointExtension xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
                f'<gpxtpx:hr>{135 + index % 9}</gpxtpx:hr><gpxtpx:cad>{84 + index % 4}</gpxtpx:cad>'
                '</gpxtpx:TrackPointExtension>')
            point.extensions.append(extension)
        segment.points.append(point)
    return gpx.to_xml(version='1.1')


(OUT / 'run.gpx').write_text(gpx_text('Lunch Run', dt.datetime(2026, 3, 4, 12, 10, 0, tzinfo=dt.timezone.utc), 40))
strava_gpx = gpx_text('Morning Run', dt.datetime(2026, 1, 12, 6, 30, 0, tzinfo=dt.timezone.utc), 30)

# Strava's header, as its bulk export writes it (names repeat: the first Distance is km, the last metres).
HEADER = ['Activity ID', 'Activity Date', 'Activity Name', 'Activity Type', 'Activity Description', 'Elapsed Time',
          'Distance', 'Max Heart Rate', 'Relative Effort', 'Commute', 'Activity Private Note', 'Activity Gear',
          'Filename', 'Athlete Weight', 'Bike Weight', 'Elapsed Time', 'Moving Time', 'Distance', 'Max Speed',
          'Average Speed', 'Elevation Gain', 'Elevation Loss', 'Elevation Low', 'Elevation High', 'Max Grade',
          'Average Grade', 'Max Cadence', 'Average Cadence', 'Max Heart Rate', 'Average Heart Rate', 'Calories']


def row(**values):
    cells = []
    seen = {}
    for name in HEADER:
        seen[name] = seen.get(name, 0) + 1
        key = name if seen[name] == 1 else f'{name} 2'
        cells.append(values.get(key, ''))
    return cells


rows = [
    row(**{'Activity ID': '10000000001', 'Activity Date': 'Jan 10, 2026, 7:00:00 AM', 'Activity Name': 'Tempo by the river',
           'Activity Type': 'Run', 'Elapsed Time': '2410', 'Distance': '6.00', 'Activity Gear': 'Pegasus 40',
           'Filename': 'activities/10000000001.fit.gz', 'Distance 2': '6003.5', 'Moving Time': '2400'}),
    row(**{'Activity ID': '10000000002', 'Activity Date': 'Jan 12, 2026, 6:30:00 AM', 'Activity Name': 'Morning Run',
           'Activity Type': 'Run', 'Elapsed Time': '290', 'Distance': '1.10', 'Activity Gear': 'Pegasus 40',
           'Filename': 'activities/10000000002.gpx', 'Moving Time': '285', 'Elevation Gain': '16.0'}),
    row(**{'Activity ID': '10000000003', 'Activity Date': 'Jan 13, 2026, 5:00:00 PM', 'Activity Name': 'Commute',
           'Activity Type': 'Ride', 'Elapsed Time': '1500', 'Filename': 'activities/10000000003.fit.gz'}),
    row(**{'Activity ID': '10000000004', 'Activity Date': 'Jan 14, 2026, 6:15:30 PM', 'Activity Name': 'Hotel gym, "easy"',
           'Activity Type': 'Run', 'Elapsed Time': '1800', 'Distance': '4.50', 'Activity Gear': 'Ghost 15',
           'Distance 2': '4500.0', 'Moving Time': '1795', 'Average Heart Rate': '131.4', 'Max Heart Rate': '150',
           'Max Heart Rate 2': '150', 'Average Cadence': '83.6', 'Elevation Gain': '0'}),
    row(**{'Activity ID': '10000000005', 'Activity Date': 'Jan 15, 2026, 7:45:00 AM', 'Activity Name': 'Zwift run',
           'Activity Type': 'Virtual Run', 'Elapsed Time': '1200', 'Distance': '3.00', 'Distance 2': '3000.0',
           'Moving Time': '1200', 'Average Heart Rate': '138', 'Max Heart Rate': '155', 'Max Heart Rate 2': '155'}),
]
csv_buffer = io.StringIO()
writer = csv.writer(csv_buffer, lineterminator='\n')
writer.writerow(HEADER)
writer.writerows(rows)
with zipfile.ZipFile(OUT / 'strava.zip', 'w', compression=zipfile.ZIP_DEFLATED) as archive:
    archive.writestr('activities.csv', csv_buffer.getvalue())
    archive.writestr('activities/10000000001.fit.gz', gzip.compress(strava_fit))
    archive.writestr('activities/10000000002.gpx', strava_gpx)
    archive.writestr('activities/10000000003.fit.gz', gzip.compress((OUT / 'cycling.fit').read_bytes()))
    archive.writestr('media/photo.jpg', b'\xff\xd8\xff\xe0 not really a photo')
(OUT / 'strava-fit-source.fit').unlink()

# Hostile archives, made by hand.
BAD = OUT / 'bad'
BAD.mkdir(exist_ok=True)
zeros = bytes(16 << 20)  # deflates about 1000:1, five times past the ratio limit
with zipfile.ZipFile(BAD / 'bomb.zip', 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    archive.writestr('activities.csv', 'Activity ID,Activity Type,Filename\n1,Run,activities/1.fit\n')
    archive.writestr('activities/1.fit', zeros)
with zipfile.ZipFile(BAD / 'gzip-bomb.zip', 'w') as archive:
    archive.writestr('activities.csv', 'Activity ID,Activity Type,Filename\n1,Run,activities/1.fit.gz\n')
    archive.writestr('activities/1.fit.gz', gzip.compress(zeros, compresslevel=9))
with zipfile.ZipFile(BAD / 'traversal.zip', 'w') as archive:
    archive.writestr('activities.csv', 'Activity ID,Activity Type,Filename\n1,Run,../../outside.fit\n')
    archive.writestr('../../outside.fit', treadmill)
with zipfile.ZipFile(BAD / 'many.zip', 'w') as archive:
    for index in range(30):
        archive.writestr(f'activities/{index}.gpx', '<gpx/>')
with zipfile.ZipFile(BAD / 'damaged.zip', 'w') as archive:
    archive.writestr('runs/treadmill.fit', treadmill)
damaged = bytearray((BAD / 'damaged.zip').read_bytes())
damaged[damaged.index(treadmill[:12]) + 40] ^= 0xFF  # inside the stored entry: its CRC-32 no longer matches
(BAD / 'damaged.zip').write_bytes(bytes(damaged))
print('ok')
