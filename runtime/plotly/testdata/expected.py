"""Builds the figures of plotly_test.go with plotly.py and writes their JSON as Go.

Run with Debian's python3 (plotly 5.4, pandas 1.5) from runtime/plotly:

    /usr/bin/python3 testdata/expected.py | gofmt > expected_test.go

Each figure is rendered as hetida's plotly_fig_to_json_dict returns it (to_plotly_json
through PlotlyJSONEncoder and back), then compactly with raw UTF-8 as trafofn writes its
responses. The Go tests build the same figures step by step in the same order.
"""

import json
import math

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots
from plotly.utils import PlotlyJSONEncoder

pio.templates.default = None

CASES = {}


def case(fn):
    fig = fn()
    d = json.loads(json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder))
    CASES[fn.__name__] = json.dumps(d, separators=(",", ":"), ensure_ascii=False)
    return fn


def margins(fig):
    fig.update_layout(margin=dict(l=0, r=0, b=0, t=5, pad=0))
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)


UTC3 = pd.DatetimeIndex(
    ["2020-01-01T00:00:00Z", "2020-01-01T00:10:00Z", "2020-01-01T00:20:00Z"]
)


@case
def single_timeseries():
    # Single Timeseries Plot: unsorted series with a NaN, named "temp"
    s = pd.Series([3.0, 1.0, np.nan], index=UTC3[[2, 0, 1]], name="temp").sort_index()
    fig = go.Figure([go.Scatter(x=s.index, y=s, mode="lines")])
    fig.update_layout(xaxis_title="Time", yaxis_title="temp", autosize=True, height=200)
    fig.update_traces({"line_color": "#1199bb"})
    margins(fig)
    return fig


@case
def scatter_all():
    fig = go.Figure()
    fig.add_scatter(
        cliponaxis=False,
        connectgaps=True,
        customdata=[[1, "a"], [2, "b"]],
        fill="tozeroy",
        fillcolor="rgba(0, 0, 255, 0.2)",
        hoverinfo="x+y",
        hovertemplate="%{x}: %{y}<extra></extra>",
        hovertext=["eins", "zwei"],
        legendgroup="g",
        line=dict(color="red", width=2.5, dash="dot", shape="hv"),
        marker=dict(
            color=[0.5, 1.5],
            size=8,
            symbol="circle",
            colorscale=[[0, "white"], [1.0, "black"]],
            showscale=True,
            colorbar=dict(title=dict(text="c"), thickness=20),
            line=dict(color="black", width=1),
        ),
        mode="lines+markers",
        name="ä \"quoted\"",
        opacity=0.8,
        orientation="v",
        showlegend=True,
        text=["t1", None],
        textposition="top center",
        visible=True,
        x=np.array([1, 2]),
        xaxis="x",
        y=[1e16, float("inf")],
        yaxis="y",
    )
    fig.data[0].name = "renamed"  # an existing key keeps its place
    fig.data[0].marker.opacity = 0.5  # a new key is appended inside marker
    fig.data[0].uid = "u1"  # and after "type" in the trace
    return fig


@case
def bar():
    # the figure plotly.express.bar builds (5.15): a 1x1 subplot grid, the trace with its
    # axes in the constructor, then layout updates
    fig = make_subplots(rows=1, cols=1)
    fig.add_trace(
        go.Bar(
            alignmentgroup="True",
            hovertemplate="x=%{x}<br>values=%{y}<extra></extra>",
            legendgroup="",
            marker=dict(color="#636efa", pattern=dict(shape="")),
            name="",
            offsetgroup="",
            orientation="v",
            showlegend=False,
            textposition="auto",
            texttemplate="%{y:.2f}",
            x=["Pumpe A", "Pumpe B"],
            xaxis="x",
            y=[15.2, 1.1],
            yaxis="y",
        )
    )
    fig.update_xaxes(title_text="x")
    fig.update_yaxes(title_text="values")
    fig.update_layout(legend=dict(tracegroupgap=0), margin=dict(t=60), barmode="relative")
    fig.update_layout(autosize=True, height=200)
    margins(fig)
    return fig


@case
def box():
    fig = go.Figure()
    fig.add_trace(
        go.Box(
            alignmentgroup="True",
            boxpoints="outliers",
            hovertemplate="year--week=%{x}<br>0=%{y}<extra></extra>",
            legendgroup="",
            marker=dict(color="#636efa"),
            name="",
            notched=False,
            offsetgroup="",
            orientation="v",
            showlegend=False,
            x=["2026--10", "2026--10", "2026--11"],
            x0=" ",
            xaxis="x",
            y=[0.496, -0.6940000000000001, 2],
            y0=" ",
            yaxis="y",
        )
    )
    fig.update_layout(boxmode="group")
    fig.update_traces({"line_color": "#1199bb"})
    return fig


@case
def heatmap():
    z = [[1.0, -0.5, np.nan], [-0.5, 1.0, 0.25]]
    fig = go.Figure(
        data=[
            go.Heatmap(
                z=np.array(z),
                x=pd.Index(["a", "b", "c"]),
                y=["r1", "r2"],
                xgap=1,
                ygap=1,
                colorscale=[[0.0, "#3f7f93"], [0.5, "#f2f2f2"], [1.0, "#da3b46"]],
                colorbar_thickness=20,
                colorbar_ticklen=3,
                hovertext=pd.DataFrame(z).astype(str),
                hoverinfo="text",
                zmin=-1,
                zmax=1,
                text=[["x", "y", "z"], ["u", "v", "w"]],
            )
        ],
        layout=go.Layout(
            width=440,
            height=400,
            xaxis_showgrid=False,
            yaxis_showgrid=False,
            yaxis_autorange="reversed",
        ),
    )
    margins(fig)
    return fig


@case
def contour():
    fig = go.Figure(
        data=go.Contour(
            z=np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]).reshape(-1, 3),
            x=pd.Series([0, 1, 2]),
            y=pd.Series([0.0, 0.5]),
            colorscale="Viridis",
            contours=dict(coloring="heatmap", showlabels=True),
            ncontours=5,
            showscale=False,
        ),
        layout=go.Layout(width=440, height=400, xaxis_showgrid=False, yaxis_showgrid=False),
    )
    margins(fig)
    return fig


@case
def pie():
    fig = go.Figure()
    fig.add_trace(
        go.Pie(
            domain=dict(x=[0.0, 1.0], y=[0.0, 1.0]),
            hole=0.3,
            hovertemplate="gruppe=%{label}<br>menge=%{value}<extra></extra>",
            labels=pd.Series(["Nord", "West", "Nord"]),
            legendgroup="",
            marker=dict(colors=["red", "green", "blue"]),
            name="",
            showlegend=True,
            sort=False,
            textinfo="percent+label",
            values=pd.Series([47.9, 2.6, 5]),
        )
    )
    fig.update_layout(legend=dict(tracegroupgap=0), margin=dict(t=60))
    fig.update_layout(height=300, width=300)
    margins(fig)
    return fig


@case
def scattermapbox():
    fig = go.Figure()
    fig.add_trace(
        go.Scattermapbox(
            customdata=[["Beschreibung 0"], ["Beschreibung 2"]],
            hovertemplate="<b>%{hovertext}</b><br><br>lat=%{lat}<extra></extra>",
            hovertext=pd.Series(["Standort 0", "Standort 2"]),
            lat=pd.Series([54.1919, 52.1452]),
            legendgroup="Pumpe",
            lon=pd.Series([8.997, 9.3747]),
            marker=dict(color="#ff0000", size=np.ones(2) * 2, sizemode="area", sizeref=0.02),
            mode="markers",
            name="Pumpe",
            showlegend=True,
            subplot="mapbox",
            text=["a", "b"],
        )
    )
    fig.update_layout(
        mapbox=dict(domain=dict(x=[0.0, 1.0], y=[0.0, 1.0]), center=dict(lat=51.1, lon=8.5), zoom=8),
        legend=dict(title=dict(text="kategorie"), tracegroupgap=0, itemsizing="constant"),
        margin=dict(t=60),
        height=400,
    )
    fig.update_layout(mapbox_style="open-street-map")
    fig.update_layout(margin={"r": 0, "t": 0, "l": 0, "b": 0})
    return fig


@case
def table():
    df = pd.DataFrame(
        {
            "t": pd.DatetimeIndex(["2020-01-01T00:00:00.000001500Z", None, "2020-01-01T12:00:00Z"]),
            "d": pd.to_timedelta(["1 days 00:00:01.5", None, "-1s"]),
            "f": [1.5, np.nan, 0.1 + 0.2],
            "i": [1, 2, 3],
            "s": ["a", None, "ü"],
            "b": [True, False, True],
        }
    )
    columns = list(df.columns)
    fig = go.Figure(
        data=[
            go.Table(
                columnwidth=[32, 32, 16, 16, 12, 6],
                header=dict(values=columns, fill_color="paleturquoise", align="left"),
                cells=dict(values=[df[c] for c in columns], fill_color="lavender", align="left"),
            )
        ]
    )
    fig.update_layout(margin=dict(l=0, r=15.0, b=15.0, t=5, pad=0))
    fig.update_layout(xaxis_title="Time", yaxis_title="Values", autosize=True, height=400)
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


@case
def secondary_y():
    # Two Timeseries with Two Y Axes Plot
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=UTC3, y=[1488.4, 1486.9, 1503.5], mode="lines", name="Drehzahl", secondary_y=False)
    fig.add_scatter(x=UTC3, y=[2.94, 3.27, 3.42], mode="lines", name="Strom", secondary_y=True)
    fig.update_layout(xaxis_title="Time", yaxis_title="Values", autosize=True, height=200)
    fig.update_layout(margin=dict(l=0, r=0, b=0, t=5, pad=0))
    fig.update_yaxes(title_text="Drehzahl", secondary_y=False)
    fig.update_yaxes(title_text="Strom", secondary_y=True)
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


@case
def subplots_grid():
    fig = make_subplots(rows=2, cols=3)
    fig.add_trace(go.Scatter(y=[1, 2]), row=1, col=1)
    fig.add_trace(go.Bar(y=[3]), row=2, col=3)
    fig.add_trace(go.Heatmap(z=[[1]]), row=1, col=2)
    return fig


@case
def subplots_specs():
    fig = make_subplots(
        rows=3,
        cols=2,
        specs=[[{"colspan": 2, "secondary_y": True}, None], [{}, {"rowspan": 2}], [{}, None]],
        column_widths=[0.7, 0.3],
        row_heights=[1, 2, 3],
        horizontal_spacing=0.05,
        vertical_spacing=0.1,
    )
    fig.add_scatter(y=[1], row=1, col=1, secondary_y=True)
    fig.add_scatter(y=[2], row=3, col=1)
    return fig


@case
def subplots_default_secondary_2x2():
    return make_subplots(rows=2, cols=2, specs=[[{}, {"secondary_y": True}], [{"secondary_y": True}, {}]])


@case
def shapes():
    # Timeseries and Alerts Plot, a RUL-style line and Moving Window-style lines
    s = pd.Series([2.5, 1.0, 4.0], index=UTC3)
    fig = go.Figure([go.Scatter(x=s.index, y=s, mode="lines")])
    fig.add_shape(
        type="rect",
        x0=UTC3[0],
        y0=s.min(),
        x1=UTC3[1],
        y1=s.max(),
        line={"color": "rgb(251, 40, 0)", "width": 1},
        fillcolor="rgba(251, 40, 0, 0.4)",
    )
    fig.add_shape(
        type="line",
        x0=pd.Timestamp("2020-01-01T00:05:00.000000250", tz="UTC"),
        x1=pd.Timestamp("2020-01-01T00:05:00.5"),
        y0=0,
        y1=np.float64(4.0),
        xref="x",
        yref="paper",
        line=dict(color="mediumvioletred", width=2, dash="dash"),
        opacity=0.5,
        layer="below",
        name="window size",
    )
    fig.update_layout(xaxis_title="Time", yaxis_title="Values", autosize=True, height=200)
    fig.update_layout(
        shapes=list(fig.layout.shapes)
        + [dict(type="line", yref="y", y0=1.5, y1=1.5, xref="x", x0="NaT", x1=UTC3[2], line={"color": "red", "width": 1})]
    )
    fig.add_annotation(x=UTC3[1], y=4, text="peak", showarrow=False, font=dict(size=10), xanchor="left")
    fig.update_layout(title="Alerts", hovermode="closest", showlegend=False, legend=dict(orientation="h", x=0, y=1.1))
    margins(fig)
    return fig


def positions(n, ratio, side_right):
    return [1 - x * ratio - ratio * side_right for x in range(n)], 1 - n * ratio


@case
def multi_axes():
    # DataFrame Plot with multiple X and Y Axes: traces with yaxis/xaxis set after their
    # construction and a Layout built from keyword arguments
    colors = ["#636EFA", "#EF553B", "#00CC96"]
    x_positions, x_ratio = positions(3, 0.06, True)
    y_positions, y_ratio = positions(3, 0.09, True)
    data, kwargs = [], {"height": 400}
    for i in range(3):
        sfx = str(i + 1) * (i > 0)
        data.append(go.Scatter(x=UTC3, y=[i, None, i + 0.5], name="c" + str(i), opacity=0.8, line=dict(color=colors[i])))
        kwargs["yaxis" + sfx] = {
            "position": x_positions[i],
            "side": "right",
            "tickfont": dict(color=colors[i], size=12),
            "showline": True,
            "linecolor": colors[i],
            "showgrid": True,
            "domain": [1.0 - y_ratio, 1.0],
        }
        kwargs["xaxis" + sfx] = {
            "position": 1 - y_positions[i],
            "side": "bottom",
            "showgrid": True,
            "domain": [0, x_ratio],
        }
        data[i]["yaxis"] = "y" + sfx
        data[i]["xaxis"] = "x" + sfx
        if i > 0:
            kwargs["yaxis" + sfx]["overlaying"] = "y"
            kwargs["xaxis" + sfx]["overlaying"] = "x"
    fig = go.Figure(data=data, layout=go.Layout(**kwargs))
    fig.update_layout(margin=dict(l=10, r=10, b=10, t=30, pad=0))
    fig.update_layout(autosize=True, showlegend=False, hovermode="closest")
    return fig


@case
def sliders():
    # Compare Timeshifted Timeseries
    fig = go.Figure()
    fig.add_scatter(x=UTC3, y=[1, 2, 3], mode="lines", name="series")
    for step in range(-1, 1):
        fig.add_scatter(x=UTC3 + pd.Timedelta(hours=step), y=[1, 2, 3], mode="lines", name="series_shiftable", visible=False)
    fig.data[2].visible = True
    steps = []
    for i in range(len(fig.data)):
        step = dict(method="update", args=[{"visible": [False] * len(fig.data)}, {"title": "Shifted: " + str(i - 2)}])
        step["args"][0]["visible"][i] = True
        step["args"][0]["visible"][0] = True
        step["label"] = str(i - 2)
        steps.append(step)
    fig.update_layout(xaxis_title="Time", yaxis_title="Values", autosize=True, height=480)
    fig.update_layout(margin=dict(l=0, r=0, b=40, t=30, pad=10))
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    fig.update_layout(sliders=[dict(active=1, currentvalue={"prefix": "Shifted: "}, pad={"t": 80, "b": 10}, steps=steps[1:])])
    return fig


@case
def coloraxis():
    # the continuous-colour scatter plotly.express builds, without its template
    fig = make_subplots(rows=1, cols=1)
    fig.add_trace(
        go.Scatter(
            hovertemplate="x=%{x}<br>y=%{y}<br>index=%{marker.color}<extra></extra>",
            legendgroup="",
            marker=dict(color=[0, 1, 2], coloraxis="coloraxis", symbol="circle"),
            mode="markers",
            name="",
            orientation="v",
            showlegend=False,
            x=[0.1, 0.2, 0.3],
            xaxis="x",
            y=[1, 2, 3],
            yaxis="y",
        )
    )
    fig.update_xaxes(title_text="x")
    fig.update_yaxes(title_text="y")
    fig.update_layout(
        coloraxis=dict(colorbar=dict(title=dict(text="index")), colorscale=[[0.0, "#0d0887"], [1.0, "#f0f921"]]),
        legend=dict(tracegroupgap=0),
        margin=dict(t=60),
    )
    fig.update_layout(xaxis_title="x", yaxis_title="y", autosize=True, height=400)
    fig.update_traces({"line_color": "#1199bb"})
    margins(fig)
    return fig


@case
def update_order():
    fig = go.Figure()
    fig.add_scatter(y=[1])
    fig.update_traces(name="n")
    fig.update_traces(line_color="red")
    fig.update_layout(yaxis2=dict(side="right"))
    fig.update_layout(yaxis=dict(anchor="x", title="a", domain=[0, 1]), height=300)
    fig.update_layout(margin=dict(t=60))
    fig.update_layout(margin=dict(l=1, t=5))
    fig.update_layout(height=250)  # keeps its place
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


@case
def values():
    berlin = pd.DatetimeIndex(["2020-01-01T00:00:00.123456789Z", None, "2020-07-01T00:00:00Z"]).tz_convert("Etc/GMT-1")
    naive = pd.DatetimeIndex(["2020-01-01T00:00:00.000001", "1999-12-31T23:59:59"])
    fig = go.Figure()
    fig.add_scatter(x=berlin, y=pd.Series([0.1 + 0.2, -0.0, 5e-324]), text=pd.Series(["a", None, np.nan], dtype=object))
    fig.add_scatter(x=naive, y=pd.Series([2**62, -3]), customdata=pd.Series([True, False]), hovertext=pd.to_timedelta(["1s", None]))
    fig.add_scatter(x=[pd.Timestamp("2020-01-01T00:00:00.000000001"), pd.NaT, 1, "s"], y=[1e-7, 1e22, float("nan"), 123456789.0])
    return fig


print("// Code generated by testdata/expected.py with plotly %s, pandas %s; DO NOT EDIT." % (plotly.__version__, pd.__version__))
print()
print("package plotly")
print()
print("// expected holds plotly.py's JSON for the figures of plotly_test.go.")
print("var expected = map[string]string{")
for name, js in CASES.items():
    assert "`" not in js
    print("\t%s: `%s`," % (json.dumps(name), js))
print("}")
