"""Reads the fixtures that make_fixtures.py wrote, with independent readers, and prints as JSON the `run` (and
`gear`) fields RunDiaryImport should propose for each: garmin-fit-sdk for FIT, python-tcxparser for TCX, gpxpy for
GPX, Python's csv, gzip and zipfile for the Strava export, and Python's uuid for the name-based ids.

The rules applied here are the mapping of docs/import.md, written out independently: per-leg cadence doubled,
whole numbers rounded half up, distance to the centimetre, elevation to the decimetre, the UTC offset from FIT's
local_timestamp, treadmill and indoor from sub_sport, the Strava type and the absence of a track.
A value computed differently by design (GPX distance: gpxpy's own geodesy) is given as {"approx": v, "rel": r}.
"""

import csv
import datetime as dt
import gzip
import io
import json
import math
import sys
import uuid
import zipfile
from pathlib import Path

import gpxpy
import tcxparser
from garmin_fit_sdk import Decoder, Stream

NAMESPACE = uuid.UUID('6310a315-b7dc-45ab-af1d-a60a10b440a1')
FIT_EPOCH = 631065600
FOLDER = Path(sys.argv[1])


def half_up(value):
    return math.floor(value + 0.5)


def timestamp(moment):
    """RunDiary's canonical text: seconds, Z for UTC, else ±HH:MM."""
    offset = moment.utcoffset()
    text = moment.strftime('%Y-%m-%dT%H:%M:%S')
    if not offset:
        return text + 'Z'
    minutes = int(offset.total_seconds() // 60)
    sign = '+' if minutes >= 0 else '-'
    return f'{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}'


def name_id(name):
    return str(uuid.uuid5(NAMESPACE, name))


def fit_run(data):
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(convert_datetimes_to_dates=False)
    assert not errors, errors
    file_id = messages['file_id_mesgs'][0]
    session = messages['session_mesgs'][0]
    if session['sport'] != 'running':
        return {'status': 'skipped', 'code': 'not_a_run'}
    offset = 0
    activity = messages['activity_mesgs'][0]
    if 'local_timestamp' in activity:
        offset = activity['local_timestamp'] - activity['timestamp']
    start = dt.datetime.fromtimestamp(session['start_time'] + FIT_EPOCH, dt.timezone(dt.timedelta(seconds=offset)))
    fields = {
        'started_at': timestamp(start),
        'elapsed_s': half_up(session['total_elapsed_time']),
        'moving_s': half_up(session.get('total_moving_time', session['total_timer_time'])),
        'distance_m': round(session['total_distance'], 2),
        'avg_hr_bpm': session['avg_heart_rate'],
        'max_hr_bpm': session['max_heart_rate'],
        # avg_running_cadence is strides (one leg) per minute; the fraction is its own field.
        'avg_cadence_spm': half_up((session['avg_running_cadence'] + session.get('avg_fractional_cadence', 0)) * 2),
    }
    if 'total_ascent' in session:
        fields['elevation_gain_m'] = float(session['total_ascent'])
    if 'avg_step_length' in session:
        fields['avg_step_length_mm'] = half_up(session['avg_step_length'])
    has_track = any('position_lat' in record for record in messages.get('record_mesgs', []))
    surface = {'treadmill': 'treadmill', 'street': 'road', 'trail': 'trail', 'track': 'track'}.get(session['sub_sport'])
    if surface:
        fields['surface'] = surface
    if surface == 'treadmill' or not has_track:
        fields['surface'] = fields.get('surface', 'treadmill')
        fields['is_indoor'] = True
    else:
        fields['is_indoor'] = False
    return {'status': 'proposed',
            'id': name_id(f"fit:{file_id['serial_number']}:{file_id['time_created']}"), 'fields': fields}


def tcx_run(path):
    tcx = tcxparser.TCXParser(str(path))
    started = dt.datetime.fromisoformat(tcx.started_at.replace('Z', '+00:00'))
    completed = dt.datetime.fromisoformat(str(tcx.completed_at).replace('Z', '+00:00'))
    heart_rates = tcx.hr_values()
    lap_maxima = [int(lap.MaximumHeartRateBpm.Value) for lap in tcx.activity.Lap]
    cadences = [int(x.text) for x in tcx.root.xpath('//ns:RunCadence', namespaces={'ns': tcxparser.tcxparser.namespace2})]
    fields = {
        'started_at': timestamp(started),
        'elapsed_s': half_up((completed - started).total_seconds()),
        'moving_s': half_up(tcx.duration),
        'distance_m': round(float(tcx.distance), 2),
        'elevation_gain_m': round(tcx.ascent, 1),
        'avg_hr_bpm': half_up(sum(heart_rates) / len(heart_rates)),
        'max_hr_bpm': max(heart_rates + lap_maxima),
        'avg_cadence_spm': half_up(sum(cadences) / len(cadences) * 2),
        'is_indoor': not tcx.position_values(),
    }
    activity_id = dt.datetime.fromisoformat(str(tcx.activity.Id).replace('Z', '+00:00'))
    return {'status': 'proposed', 'id': name_id('tcx:' + timestamp(activity_id)), 'fields': fields}


def gpx_values(text):
    gpx = gpxpy.parse(text)
    track = gpx.tracks[0]
    bounds = track.get_time_bounds()
    points = [point for segment in track.segments for point in segment.points]

    def extension(point, tag):
        for element in point.extensions:
            for child in element:
                if child.tag.endswith('}' + tag):
                    return float(child.text)
        return None

    heart_rates = [extension(p, 'hr') for p in points if extension(p, 'hr') is not None]
    cadences = [extension(p, 'cad') for p in points if extension(p, 'cad') is not None]
    fields = {
        'started_at': timestamp(bounds.start_time),
        'elapsed_s': half_up((bounds.end_time - bounds.start_time).total_seconds()),
        'distance_m': {'approx': track.length_2d(), 'rel': 0.003},
        'elevation_gain_m': round(track.get_uphill_downhill().uphill, 1),
        'avg_hr_bpm': half_up(sum(heart_rates) / len(heart_rates)),
        'max_hr_bpm': half_up(max(heart_rates)),
        'avg_cadence_spm': half_up(sum(cadences) / len(cadences) * 2),
        'is_indoor': False,
        'title': track.name,
    }
    return bounds.start_time, fields


def strava(path):
    results = {}
    with zipfile.ZipFile(path) as archive:
        reader = csv.reader(io.StringIO(archive.read('activities.csv').decode()))
        header = next(reader)
        for cells in reader:
            # Strava repeats column names: the first of a name wins, except Distance, read from its last (metres).
            first = {}
            for name, value in zip(header, cells):
                first.setdefault(name, value)
            metres = cells[len(header) - 1 - header[::-1].index('Distance')]
            filename = first['Filename']
            name = f'{path.name}/' + (filename or f"activities.csv#{first['Activity ID']}")
            if first['Activity Type'] not in ('Run', 'Trail Run', 'Virtual Run'):
                results[name] = {'status': 'skipped', 'code': 'not_a_run'}
                continue
            if filename.endswith('.fit.gz'):
                fields = fit_run(gzip.decompress(archive.read(filename)))['fields']
            elif filename.endswith('.gpx'):
                _, fields = gpx_values(archive.read(filename).decode())
                del fields['title']
            else:
                start = dt.datetime.strptime(first['Activity Date'], '%b %d, %Y, %I:%M:%S %p').replace(tzinfo=dt.timezone.utc)
                fields = {'started_at': timestamp(start)}
            fill = {
                'elapsed_s': lambda: half_up(float(first['Elapsed Time'])),
                'moving_s': lambda: half_up(float(first['Moving Time'])),
                'distance_m': lambda: round(float(metres), 2),
                'elevation_gain_m': lambda: round(float(first['Elevation Gain']), 1),
                'avg_hr_bpm': lambda: half_up(float(first['Average Heart Rate'])),
                'max_hr_bpm': lambda: half_up(float(first['Max Heart Rate'])),
                'avg_cadence_spm': lambda: half_up(float(first['Average Cadence']) * 2),
            }
            for field, value in fill.items():
                try:
                    fields.setdefault(field, value())
                except ValueError:
                    pass
            fields['title'] = first['Activity Name']
            if first['Activity Type'] == 'Virtual Run':
                fields['surface'] = 'treadmill'
                fields['is_indoor'] = True
            expected = {'status': 'proposed', 'id': name_id('strava:' + first['Activity ID']), 'fields': fields}
            if first['Activity Gear']:
                gear_id = name_id('gear:' + ' '.join(first['Activity Gear'].split()).lower())
                fields['gear_id'] = gear_id
                expected['gear'] = {'id': gear_id, 'fields': {'name': first['Activity Gear']}}
            results[name] = expected
    return results


expected = {
    'treadmill.fit': fit_run((FOLDER / 'treadmill.fit').read_bytes()),
    'outdoor.fit': fit_run((FOLDER / 'outdoor.fit').read_bytes()),
    'cycling.fit': fit_run((FOLDER / 'cycling.fit').read_bytes()),
    'run.tcx': tcx_run(FOLDER / 'run.tcx'),
}
gpx_start, gpx_fields = gpx_values((FOLDER / 'run.gpx').read_text())
expected['run.gpx'] = {'status': 'proposed', 'id': name_id('gpx:' + timestamp(gpx_start)), 'fields': gpx_fields}
expected.update(strava(FOLDER / 'strava.zip'))
print(json.dumps(expected, indent=1, sort_keys=True))
